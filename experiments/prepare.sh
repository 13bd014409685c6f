#!/usr/bin/env bash
# Data for the sweep specs fig1.json … fig6.json (written to experiments/data/, not committed):
# a balanced Fashion-MNIST T-shirt/top (−1) vs shirt (+1) subset of 100 images, 1×28×28, standardised,
# and the deep linear net's Gaussian data (n = 50 < d = 100). `./sgdstab reproduce` needs none of this.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sgd="$here/../sgdstab"
"$sgd" data import --format idx --classes 0,6 --targets pm1 --n 100 --normalize --seed 1 --out "$here/data/fashion-0-6-n100"
"$sgd" data generate --kind gaussian --n 50 --d 100 --teacher linear --seed 1 --out "$here/data/linear-n50-d100"
