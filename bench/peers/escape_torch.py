#!/usr/bin/python3
"""PyTorch peer of `sgdstab escape`'s trajectory phase, for the speed comparison in docs/benchmarks.md.

From the same minimum (a safetensors file with PyTorch keys) and the same data (X.npy, Y.npy), runs R
independent SGD trajectories of T steps with batch size B drawn with replacement, recording the full
training loss L = (1/2n) sum_i ||f(x_i) - y_i||^2 at every step (t = 0..T), and stopping a trajectory
once its loss exceeds the divergence cap, exactly as the Java command does. Model: nn.Sequential of
Linear/Tanh/ReLU layers given by --widths and --activation. float64, torch.set_num_threads(2).

Prints one JSON line: wall seconds of the trajectory phase, steps done, mean final loss.
Run with Debian's interpreter: /usr/bin/python3 bench/peers/escape_torch.py --help
"""
import argparse
import json
import struct
import time

import numpy as np
import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (hlen,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + hlen])
    body = raw[8 + hlen:]
    dtypes = {"F64": np.float64, "F32": np.float32}
    out = {}
    for key, info in header.items():
        if key == "__metadata__":
            continue
        a, b = info["data_offsets"]
        arr = np.frombuffer(body[a:b], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
        out[key] = torch.from_numpy(arr.astype(np.float64).copy())
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--x", required=True)
    ap.add_argument("--y", required=True)
    ap.add_argument("--weights", required=True)
    ap.add_argument("--activation", default="tanh", choices=["tanh", "relu"])
    ap.add_argument("--lr", type=float, required=True)
    ap.add_argument("--batch-size", type=int, required=True)
    ap.add_argument("--trajectories", type=int, default=200)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--divergence-cap", type=float, default=1e6)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.set_default_dtype(torch.float64)
    x = torch.from_numpy(np.load(a.x).astype(np.float64))
    y = torch.from_numpy(np.load(a.y).astype(np.float64))
    if y.ndim == 1:
        y = y[:, None]
    n = x.shape[0]
    state = read_safetensors(a.weights)
    linear_ids = sorted({int(k.split(".")[0]) for k in state})
    act = torch.tanh if a.activation == "tanh" else torch.relu

    def forward(params, inputs):
        h = inputs
        for j, i in enumerate(linear_ids):
            w, b = params[2 * j], params[2 * j + 1]
            h = torch.nn.functional.linear(h, w, b)
            if j < len(linear_ids) - 1:
                h = act(h)
        return h

    start = []
    for i in linear_ids:
        start += [state[f"{i}.weight"], state[f"{i}.bias"]]

    losses = np.full((a.trajectories, a.steps + 1), np.nan)
    steps_done = 0
    t0 = time.perf_counter()
    for r in range(a.trajectories):
        gen = torch.Generator().manual_seed(a.seed * 1_000_003 + r)
        params = [p.clone().requires_grad_(True) for p in start]
        for t in range(a.steps + 1):
            with torch.no_grad():
                loss = 0.5 * ((forward(params, x) - y) ** 2).sum().item() / n
            losses[r, t] = loss
            if not np.isfinite(loss) or loss > a.divergence_cap or t == a.steps:
                break
            idx = torch.randint(n, (a.batch_size,), generator=gen)
            batch_loss = 0.5 * ((forward(params, x[idx]) - y[idx]) ** 2).sum() / a.batch_size
            grads = torch.autograd.grad(batch_loss, params)
            with torch.no_grad():
                for p, g in zip(params, grads):
                    p.sub_(a.lr * g)
            steps_done += 1
    wall = time.perf_counter() - t0
    final = losses[:, -1]
    print(json.dumps({"peer": "pytorch " + torch.__version__, "threads": a.threads, "wall_s": wall,
                      "sgd_steps": steps_done, "loss_evaluations": int(np.isfinite(losses).sum()),
                      "mean_final_loss_of_survivors": float(np.nanmean(final)) if np.isfinite(final).any() else None}))


if __name__ == "__main__":
    main()
