#!/usr/bin/env bash
# Makes examples/checkpoints/fashion-source.safetensors: Graft pre-trains its small CNN on the
# source task from Debian's full Fashion-MNIST (apt-get install dataset-fashion-mnist).
set -euo pipefail
cd "$(dirname "$0")/.."
./graft train examples/experiments/pretrain-source.yaml
cp graft-out/fashion-source/train/scratch/model.safetensors examples/checkpoints/fashion-source.safetensors
cp graft-out/fashion-source/train/scratch/results.json examples/checkpoints/fashion-source.results.json
echo "wrote examples/checkpoints/fashion-source.safetensors"
