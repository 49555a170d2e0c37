#!/usr/bin/env bash
# Operator-level profile of one training step per model, Graft against PyTorch in the same run:
# libtorch's autograd profiler on both sides (Graft's through DJL's JniUtils.startProfile, in
# bench/StepBench.java's ops mode; PyTorch's through torch.profiler, bench/torch_ops.py), same model,
# batch, optimizer, threads and malloc settings as bench/run.sh, then bench/OpSplit.java sets the
# operators' self times side by side (ms per step, the profiler's own overhead included on both sides).
# Needs the PyTorch side's Debian packages (python3-torch python3-torchvision libopenblas0-openmp).
# Usage: bench/ops.sh [THREADS] [STEPS] [MODELS...]   (defaults 2, 50 (ResNet-18 and MiniLM a fifth), cnn mlp resnet18 minilm)
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${1:-2}
STEPS=${2:-50}
shift 2 2>/dev/null || true
MODELS=${*:-cnn mlp resnet18 minilm}
./graft --version >/dev/null
case " $MODELS " in *" minilm "*) . bench/minilm_weights.sh;; esac
CP="graft-cli/target/graft-cli.jar:graft-cli/target/lib/*"
OUT=graft-out/bench/ops
mkdir -p "$OUT"
echo "start: $(date -u '+%F %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg); build $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
for m in $MODELS; do
  n=$STEPS
  case $m in minilm|resnet18) n=$(( STEPS / 5 > 0 ? STEPS / 5 : 1 ));; esac
  echo "== $m, $n profiled steps"
  MALLOC_ARENA_MAX=1 java -Xms768m -Xmx768m -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" \
    -cp "$CP" bench/StepBench.java ops "$m" "$n" "$OUT/$m-graft.json"
  (cd bench && MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483647 MALLOC_ARENA_MAX=1 \
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS="$THREADS" \
    /usr/bin/python3 torch_ops.py "$m" "$THREADS" "$n" "../$OUT/$m-torch.json" "../graft-out/bench/minilm.safetensors")
  java -Xmx2g -cp "$CP" bench/OpSplit.java "$OUT/$m-graft.json" "$n" "$OUT/$m-torch.json" "$n" 20
done
echo "end: $(date -u '+%F %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
