#!/usr/bin/env bash
# Policy-search benchmark (issue 20): does the search's chosen policy generalize?
# Runs `graft compare` on bench/policy/fashion-policy.yaml (the shipped Fashion task, Adam 1e-3,
# 30 epochs, batch 16, no augmentation, no early stopping, 10 validation images per class) with the
# built-in hand strategies and one search strategy per sampler, over SEEDS and SHOTS, one JVM with
# 1 PyTorch thread, and prints per shot count: each strategy's mean test accuracy, the searches'
# paired difference against scratch and against the best hand strategy (best by mean test
# accuracy, so the comparison is the hardest one), and the searches' validation-test gap.
# Usage: bench/policy_bench.sh LABEL [SAMPLERS] [TRIALS] [SEEDS] [SHOTS] [EXTRA_SEARCH_YAML]
#   e.g. bench/policy_bench.sh before "genetic random" 24 "0 1 2 3 4" "5 10"
# GRAFT_LIB=DIR runs another build (DIR holds graft-cli.jar and lib/), e.g. the build before a change.
set -euo pipefail
LABEL=${1:?label}; SAMPLERS=${2:-genetic annealing tpe random}; TRIALS=${3:-24}
SEEDS=${4:-0 1 2 3 4}; SHOTS=${5:-5 10}; EXTRA=${6:-}
cd "$(dirname "$0")/.."
LIB=${GRAFT_LIB:-graft-cli/target}
OUT=graft-out/bench/policy-$LABEL
mkdir -p graft-out/bench
CFG=bench/policy/.tmp-$LABEL.yaml
trap 'rm -f "$CFG"' EXIT
/usr/bin/python3 - "$CFG" "$LABEL" "$SAMPLERS" "$TRIALS" "$SEEDS" "$SHOTS" "$EXTRA" <<'PY'
import re, sys
cfg, label, samplers, trials, seeds, shots, extra = sys.argv[1:]
text = open("bench/policy/fashion-policy.yaml").read()
hand = ["scratch", "head_only", "partial", "full", "discriminative", "l2sp"]
strategies = hand + ["{name: %s, trials: %s}" % (s, trials) for s in samplers.split()]
text = re.sub(r"^strategies: .*$", "strategies: [%s]" % ", ".join(strategies), text, flags=re.M)
text = re.sub(r"^shots: .*$", "shots: [%s]" % ", ".join(shots.split()), text, flags=re.M)
text = re.sub(r"^seeds: .*$", "seeds: [%s]" % ", ".join(seeds.split()), text, flags=re.M)
text = re.sub(r"^output: .*$", "output: ../../graft-out/bench/policy-%s" % label, text, flags=re.M)
if extra:
    text = text.replace("search:\n", "search:\n  %s\n" % extra)
open(cfg, "w").write(text)
PY
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F); build: $LIB"
echo "config: samplers [$SAMPLERS], $TRIALS trials, seeds [$SEEDS], shots [$SHOTS], search extra: ${EXTRA:-none}"
start=$(date +%s)
MALLOC_ARENA_MAX=1 java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp "$LIB/graft-cli.jar:$LIB/lib/*" \
  dev.graft.cli.Main compare "$CFG" --quiet > "$OUT.log" 2>&1 || { tail -20 "$OUT.log"; exit 1; }
echo "wall: $(( $(date +%s) - start )) s"
/usr/bin/python3 bench/policy/summarize.py "$OUT/results.json"
