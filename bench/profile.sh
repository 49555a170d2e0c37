#!/usr/bin/env bash
# Profiles Graft's training step per model with JFR (bench/StepBench.java's profile mode: 20 warm-up
# steps, then STEPS recorded steps at the benchmark's size) and splits the samples of the training
# thread into the step's phases (bench/JfrSplit.java).
# Usage: bench/profile.sh [THREADS] [STEPS] [MODELS...]   (defaults 2, 100 (MiniLM 20), cnn mlp resnet18 minilm)
#   GRAFT_CP_PREFIX=DIR: classes put first on the class path (an earlier build of a class, to profile it)
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${1:-2}
STEPS=${2:-100}
shift 2 2>/dev/null || true
MODELS=${*:-cnn mlp resnet18 minilm}
./graft --version >/dev/null
case " $MODELS " in *" minilm "*) . bench/minilm_weights.sh;; esac
CP="${GRAFT_CP_PREFIX:+$GRAFT_CP_PREFIX:}graft-cli/target/graft-cli.jar:graft-cli/target/lib/*"
echo "start: $(date -u '+%F %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg); build $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
for m in $MODELS; do
  n=$STEPS
  case $m in minilm|resnet18|mobilenet_v2) n=$(( STEPS / 5 > 0 ? STEPS / 5 : 1 ));; esac
  MALLOC_ARENA_MAX=1 java -Xms768m -Xmx768m -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" \
    -cp "$CP" bench/StepBench.java profile "$m" "$n" "graft-out/bench/$m${GRAFT_CP_PREFIX:+-before}.jfr"
  java bench/JfrSplit.java "graft-out/bench/$m${GRAFT_CP_PREFIX:+-before}.jfr"
done
echo "end: $(date -u '+%F %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
