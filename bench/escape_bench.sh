#!/usr/bin/env bash
# Speed of the escape experiment's trajectory phase against a PyTorch loop doing the same work
# (docs/benchmarks.md). 2-layer tanh net d=50 -> 200 -> 1, n=100, B=5, 200 trajectories x 50 steps,
# loss on all n samples at every step, float64. Runs the two alternately ROUNDS times in this one
# invocation so that both see the same machine load.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
work="${WORK:-$(mktemp -d)}"
ROUNDS="${ROUNDS:-3}"
LR=0.5; B=5; R=200; T=50
./sgdstab data generate --kind gaussian --n 100 --d 50 --teacher mlp-tanh --noise 0 --seed 1 --out "$work/data" >/dev/null
cat > "$work/mlp.json" <<'JSON'
{"layers": [{"type":"linear","in":50,"out":200}, {"type":"tanh"}, {"type":"linear","in":200,"out":1}]}
JSON
# The full command once (GD to the minimum, analysis, trajectories, outputs): its cold-JVM trajectory time.
./sgdstab escape --model "$work/mlp.json" --x "$work/data/X.npy" --y "$work/data/Y.npy" --lr $LR --batch-size $B \
  --trajectories $R --steps $T --seed 1 --out "$work/escape" --quiet
python3 -c "import json,sys; t=json.load(open('$work/escape/summary.json'))['timing']; print('sgdstab escape (cold JVM):', json.dumps(t))"
./mvnw -q -B -o test-compile
./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
cp="target/classes:target/test-classes:$(cat target/cp.txt)"
for i in $(seq 1 "$ROUNDS"); do
  echo "round $i"
  java --add-modules jdk.incubator.vector -cp "$cp" org.sgdstab.bench.EscapeBenchmark "$work/mlp.json" "$work/escape/minimum.safetensors" \
    "$work/data/X.npy" "$work/data/Y.npy" $LR $B $R $T "$(nproc)" 5 2>&1 | grep -v '^WARNING'
  /usr/bin/python3 bench/peers/escape_torch.py --x "$work/data/X.npy" --y "$work/data/Y.npy" --weights "$work/escape/minimum.safetensors" \
    --lr $LR --batch-size $B --trajectories $R --steps $T --threads 2
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
