#!/usr/bin/env bash
# Search benchmark: evaluations per hour and the best validation accuracy at equal budgets.
#  1. CNN, genetic, seeds 0-2: memo + frozen-prefix cache + successive halving (`graft search`)
#     against naive (every trial a full fine-tune, one JVM: bench/SearchBench.java), at an equal
#     trial budget (30 each) and at an equal time budget (the naive search's time).
#  2. MLP, random, 96 trials: 2 worker JVMs against 1 (bench/PoolBench.java, 1 PyTorch thread
#     each), and against `graft search` in its own JVM with 1 and 2 threads.
# Times are the search phase (first trial to last), without JVM start-up and the final test run.
# Usage: bench/search_bench.sh [cnn|mlp]   (default: both)
set -euo pipefail
PART=${1:-both}
cd "$(dirname "$0")/.."
./graft --version >/dev/null
CP="graft-cli/target/graft-cli.jar:graft-cli/target/lib/*"
JAVA=(java -Dai.djl.offline=true -cp "$CP")
export MALLOC_ARENA_MAX=1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP" bench/search/.tmp-*.yaml' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"

# variant BASE NAME "key: value" ...: BASE's search section with the keys replaced or added
variant() {
  /usr/bin/python3 - "$@" <<'PY'
import re, sys
base, name, *keys = sys.argv[1:]
text = open(base).read()
for kv in keys:
    k = kv.split(":")[0]
    if re.search(r"^  %s:" % k, text, re.M):
        text = re.sub(r"^  %s:.*$" % k, "  " + kv, text, flags=re.M)
    else:
        text = text.replace("search:\n", "search:\n  %s\n" % kv)
text = re.sub(r"^output: .*$", "output: ../../graft-out/bench/%s" % name, text, flags=re.M)
open("bench/search/.tmp-%s.yaml" % name, "w").write(text)
PY
  rm -rf "graft-out/bench/$2"
  echo "bench/search/.tmp-$2.yaml"
}
# results NAME: "trials seconds best" of a finished graft search
results() {
  /usr/bin/python3 -c "
import json; d = json.load(open('graft-out/bench/$1/search/results.json'))
print(len(d['trials']), d['search_seconds'], d['best']['validation'])"
}

if [ "$PART" != mlp ]; then
for seed in 0 1 2; do
  naive=$("${JAVA[@]}" -Dai.djl.pytorch.num_threads=2 bench/SearchBench.java \
    "$(variant bench/search/cnn-search.yaml cnn-naive-$seed "seed: $seed")")
  ./graft search "$(variant bench/search/cnn-search.yaml cnn-trials-$seed "seed: $seed")" --quiet >/dev/null
  budget=$(/usr/bin/python3 -c "import json; print(json.loads('$naive')['seconds'])")
  ./graft search "$(variant bench/search/cnn-search.yaml cnn-time-$seed "seed: $seed" "trials: 1000" \
    "timeout_s: $budget")" --quiet >/dev/null
  echo "cnn seed $seed: naive $naive; equal trials $(results cnn-trials-$seed); equal time $(results cnn-time-$seed)"
done | tee "$TMP/cnn.txt"
/usr/bin/python3 - "$TMP/cnn.txt" <<'PY'
import json, re, sys
naive_t = naive_s = 0; rows = []
for line in open(sys.argv[1]):
    n = json.loads(re.search(r"naive (\{.*?\})", line).group(1))
    eq = re.search(r"equal trials (\S+) (\S+) (\S+); equal time (\S+) (\S+) (\S+)", line).groups()
    rows.append((n, [float(x) for x in eq]))
def rate(t, s): return t / s * 3600
for label, k in (("equal trials", 0), ("equal time", 3)):
    nt = sum(n["trials"] for n, _ in rows); ns = sum(n["seconds"] for n, _ in rows)
    ot = sum(o[k] for _, o in rows); os_ = sum(o[k + 1] for _, o in rows)
    nb = sum(n["best"] for n, _ in rows) / len(rows); ob = sum(o[k + 2] for _, o in rows) / len(rows)
    print(f"cnn, {label}, 3 seeds: optimized {ot:.0f} trials in {os_:.1f} s ({rate(ot, os_):.0f}/hour, mean best {ob:.4f}) "
          f"vs naive {nt} trials in {ns:.1f} s ({rate(nt, ns):.0f}/hour, mean best {nb:.4f}): "
          f"{rate(ot, os_) / rate(nt, ns):.2f}x the evaluations per hour, best {100 * (ob - nb):+.2f} points")
PY
fi
[ "$PART" = cnn ] && exit 0

if [ ! -f graft-out/bench/mlp-source/train/scratch/model.safetensors ]; then
  ./graft train bench/search/mlp-pretrain.yaml --quiet > /dev/null
fi
# steady NAME: trials per hour after the first quarter of the trials (JIT and start-up behind)
steady() {
  /usr/bin/python3 -c "
import json
at = sorted(json.loads(l)['at_ms'] for l in open('graft-out/bench/$1/search/search.jsonl') if '\"tell\"' in l)
q = len(at) // 4
print(round((len(at) - 1 - q) / ((at[-1] - at[q]) / 1000) * 3600))"
}
for round in 1 2; do
  for w in 1 2; do
    out=$(variant bench/search/mlp-search.yaml mlp-pool$w "trials: 96")
    "${JAVA[@]}" bench/PoolBench.java "$out" "$w" 1 > /dev/null
    echo "mlp round $round: $w worker JVM(s) x 1 thread: $(results mlp-pool$w | cut -d' ' -f1,2) s, steady $(steady mlp-pool$w)/hour"
  done
  for t in 1 2; do
    out=$(variant bench/search/mlp-search.yaml mlp-jvm$t "trials: 96")
    GRAFT_JAVA_OPTS=-Dai.djl.pytorch.num_threads=$t ./graft search "$out" --quiet > /dev/null
    echo "mlp round $round: graft search in its JVM x $t thread(s): $(results mlp-jvm$t | cut -d' ' -f1,2) s, steady $(steady mlp-jvm$t)/hour"
  done
done
