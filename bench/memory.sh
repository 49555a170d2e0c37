#!/usr/bin/env bash
# Resident memory of Graft's training loop over STEPS steps (default 2,000) for each model, one JVM
# per model, as bench/run.sh runs Graft (one malloc arena, a fixed pre-touched 768 MB heap, so that
# RSS growth measures native memory). Each model at a size that makes a step short
# (StepBench.java's memory mode: the same tensors and engine calls per step, less arithmetic).
# Needs no quiet machine: it measures memory, not time.
# Usage: bench/memory.sh [STEPS] [THREADS] [MODELS...]   (defaults 2000, 2, cnn mlp resnet18 minilm)
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${1:-2000}
THREADS=${2:-2}
shift 2 2>/dev/null || true
MODELS=${*:-cnn mlp resnet18 minilm}
./graft --version >/dev/null
case " $MODELS " in *" minilm "*) . bench/minilm_weights.sh;; esac
CP="${GRAFT_CP_PREFIX:+$GRAFT_CP_PREFIX:}graft-cli/target/graft-cli.jar:graft-cli/target/lib/*"
echo "start: $(date -u '+%F %H:%M') UTC; build $(git rev-parse --short HEAD 2>/dev/null || echo '?')${GRAFT_CP_PREFIX:+ with $GRAFT_CP_PREFIX first on the class path}"
for m in $MODELS; do
  MALLOC_ARENA_MAX=1 java -Xms768m -Xmx768m -XX:+AlwaysPreTouch -Dai.djl.offline=true \
    -Dai.djl.pytorch.num_threads="$THREADS" -cp "$CP" bench/StepBench.java memory "$m" "$STEPS"
done
echo "end: $(date -u '+%F %H:%M') UTC"
