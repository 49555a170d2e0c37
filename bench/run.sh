#!/usr/bin/env bash
# Benchmarks Graft's training step against PyTorch on the same models (small CNN, MLP, ResNet-18
# and MobileNetV2 at 3x64x64), batch and threads, in one run.
# Needs: Java 17 and Maven (./graft builds graft-cli if needed), and for the PyTorch side
#   apt-get install python3-torch python3-torchvision libopenblas0-openmp   (not needed by the tests)
# Usage: bench/run.sh [THREADS] [STEPS] [MEMORY_STEPS] [BIG_STEPS]
#   STEPS: timed steps of the CNN and MLP (after 20 warm-up); BIG_STEPS: of ResNet-18 and
#   MobileNetV2 (after 5 warm-up; each of their steps costs 5-10 CNN steps, so fewer)
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${1:-2}
STEPS=${2:-100}
MEM_STEPS=${3:-2000}
BIG_STEPS=${4:-40}
./graft --version >/dev/null   # builds the command line if needed
CP="graft-cli/target/graft-cli.jar:graft-cli/target/lib/*"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "graft:"
# as ./graft runs it (one malloc arena), with a fixed, pre-touched heap so that resident-memory
# growth measures native memory, not heap sizing
GRAFT=$(MALLOC_ARENA_MAX=1 java -Xms768m -Xmx768m -XX:+AlwaysPreTouch -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -cp "$CP" bench/StepBench.java "$STEPS" "$MEM_STEPS" "$BIG_STEPS")
echo "  $GRAFT"
echo "pytorch (Debian python3-torch, OpenBLAS openmp):"
TORCH=$(LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS="$THREADS" \
  /usr/bin/python3 bench/torch_step.py "$THREADS" "$STEPS" "$BIG_STEPS")
echo "  $TORCH"
echo "pytorch with Graft's malloc settings (MALLOC_MMAP_THRESHOLD_=32 MiB, MALLOC_TRIM_THRESHOLD_=max):"
TORCH_TUNED=$(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483647 \
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS="$THREADS" \
  /usr/bin/python3 bench/torch_step.py "$THREADS" "$STEPS" "$BIG_STEPS")
echo "  $TORCH_TUNED"
/usr/bin/python3 - "$GRAFT" "$TORCH" "$TORCH_TUNED" <<'PY'
import json, sys
g, t, tt = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
def flops_cnn(batch=64):
    conv1 = 28 * 28 * 32 * 9 * 2
    conv2 = 14 * 14 * 64 * 32 * 9 * 2
    fc = 3136 * 128 * 2 + 128 * 5 * 2
    return 3 * batch * (conv1 + conv2 + fc)  # forward + backward ~ 3x forward
def flops_mlp(batch=128):
    return 3 * batch * 2 * (784 * 512 + 512 * 256 + 256 * 10)
# the torchvision models' multiply-adds are counted by PyTorch's side (forward hooks), the same count for both
flops = [("cnn", flops_cnn()), ("mlp", flops_mlp())]
flops += [(n, 3 * 2 * t[n + "_forward_macs"]) for n in ("resnet18", "mobilenet_v2")]
for name, f in flops:
    gm, tm, ttm = g[name + "_ms"], t[name + "_ms"], tt[name + "_ms"]
    print(f"{name}: graft {gm:.2f} ms/step ({f / gm / 1e6:.1f} GFLOP/s), pytorch {tm:.2f} ms/step "
          f"({f / tm / 1e6:.1f} GFLOP/s); graft/pytorch = {gm / tm:.2f}; "
          f"pytorch with the same malloc settings {ttm:.2f} ms/step, graft/that = {gm / ttm:.2f}")
print(f"matmul 1024^3 peak: graft {g['matmul_gflops']:.1f} GFLOP/s, pytorch {t['matmul_gflops']:.1f} GFLOP/s")
growth = g["rss_mb_after_all"] - g["rss_mb_after_100"]
print(f"memory: RSS {g['rss_mb_after_100']:.0f} MB after 100 steps, {g['rss_mb_after_all']:.0f} MB after "
      f"{g['mem_steps']} steps: growth {growth:.1f} MB (target < 50 MB)")
PY
