#!/usr/bin/env bash
# Frozen-prefix cache on a text search: bench/search/text-search.yaml (all-MiniLM-L6-v2 on the
# shipped spam task, 8 shots per class, 32 tokens, 20 random trials, holdout fitness) run by
# `graft search` with the cache (search.cache_mb at its default, 512) and without (cache_mb: 0),
# in one run of this script, same sampler and seed: both runs evaluate the same policies.
# Prints per run the search phase's seconds (results.json's search_seconds: first trial to last,
# without JVM start-up and the final refit and test), the wall time of the whole command, the
# cache's hits and misses (results.json's prefix_cache), the trials that froze a prefix and the
# mean seconds of a trial with and without one (from the journal's ask/tell times), and the best
# validation value; then the ratio of the two search times.
# Usage: bench/text_search_bench.sh [THREADS] [TRIALS] [ROUNDS]
#   THREADS: PyTorch threads (default 1); TRIALS (default 20); ROUNDS: pairs of runs, the second
#   pair in the other order (default 1: without the cache first, then with it)
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${1:-1}
TRIALS=${2:-20}
ROUNDS=${3:-1}
./graft --version >/dev/null   # builds the command line if needed
MINILM=graft-out/models/all-minilm-l6-v2
if ! { [ -f "$MINILM/model.onnx" ] && [ -f "$MINILM/tokenizer.json" ]; }; then
  ./graft demo text --help >/dev/null   # the graft script fetches the model first
fi
trap 'rm -f bench/search/.tmp-text-*.yaml' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/^Mem:/ {print $2}') GB"
echo "start: $(date -u '+%F %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg); build $(git rev-parse --short HEAD 2>/dev/null || echo '?'); threads $THREADS, trials $TRIALS"

# variant NAME CACHE_MB: the experiment with TRIALS trials, the cache size and its own output folder
variant() {
  /usr/bin/python3 - "$1" "$2" "$TRIALS" <<'PY'
import re, sys
name, cache, trials = sys.argv[1:]
text = open("bench/search/text-search.yaml").read()
text = re.sub(r"^  trials: .*$", "  trials: %s" % trials, text, flags=re.M)
text = text.replace("search:\n", "search:\n  cache_mb: %s\n" % cache) if cache != "default" else text
text = re.sub(r"^output: .*$", "output: ../../graft-out/bench/%s" % name, text, flags=re.M)
open("bench/search/.tmp-%s.yaml" % name, "w").write(text)
PY
  rm -rf "graft-out/bench/$1"
  echo "bench/search/.tmp-$1.yaml"
}

# one NAME CACHE_MB: runs the search, prints one JSON line about it
one() {
  local file start end
  file=$(variant "$1" "$2")
  start=$(date +%s.%N)
  # in graft search's own JVM (no --workers) --threads is not applied: the engine's property is
  GRAFT_JAVA_OPTS="-Dai.djl.pytorch.num_threads=$THREADS" ./graft search "$file" --quiet >/dev/null
  end=$(date +%s.%N)
  /usr/bin/python3 - "$1" "$start" "$end" <<'PY'
import json, sys
name, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
d = json.load(open("graft-out/bench/%s/search/results.json" % name))
asks, tells = {}, {}
for line in open("graft-out/bench/%s/search/search.jsonl" % name):
    e = json.loads(line)
    if e.get("event") == "ask":
        asks[e["trial"]] = e["at_ms"]
    elif e.get("event") == "tell":
        tells[e["trial"]] = e["at_ms"]
frozen, other = [], []
for t in d["trials"]:
    n = t["trial"]
    if n in asks and n in tells:
        # the policy's first letter is the embeddings' decision: F = a frozen prefix of at least one group
        (frozen if t["policy"].startswith("F") else other).append((tells[n] - asks[n]) / 1000)
pc = d.get("prefix_cache", {})
mean = lambda xs: round(sum(xs) / len(xs), 2) if xs else None
print(json.dumps({"run": name, "trials": len(d["trials"]), "search_seconds": d["search_seconds"],
                  "wall_seconds": round(end - start, 1), "cache_on": pc.get("on"), "hits": pc.get("hits"),
                  "misses": pc.get("misses"), "frozen_prefix_trials": len(frozen),
                  "mean_s_frozen_prefix": mean(frozen), "mean_s_other": mean(other),
                  "best": d["best"]["validation"], "policies": [t["policy"] for t in d["trials"]]}))
PY
}

for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order="off on"; else order="on off"; fi
  for mode in $order; do
    if [ "$mode" = on ]; then one "text-cache-$round" default; else one "text-nocache-$round" 0; fi
  done
done | tee graft-out/bench/text-search-bench.jsonl
/usr/bin/python3 - <<'PY'
import json
rows = [json.loads(l) for l in open("graft-out/bench/text-search-bench.jsonl")]
for r in rows:
    print(f"{r['run']}: {r['trials']} trials, search {r['search_seconds']:.1f} s (whole command {r['wall_seconds']:.1f} s); "
          f"cache {'on' if r['cache_on'] else 'off'}: {r['hits']} hits, {r['misses']} misses; "
          f"{r['frozen_prefix_trials']} trials froze a prefix (mean {r['mean_s_frozen_prefix']} s, others "
          f"{r['mean_s_other']} s); best validation {r['best']:.4f}")
on = [r for r in rows if r["cache_on"]]
off = [r for r in rows if not r["cache_on"]]
if on and off:
    s_on = sum(r["search_seconds"] for r in on)
    s_off = sum(r["search_seconds"] for r in off)
    same = all(a["policies"] == b["policies"] for a in on for b in off)
    print(f"search seconds without the cache / with it: {s_off:.1f} / {s_on:.1f} = {s_off / s_on:.2f}x; "
          f"same policies in every run: {same}")
PY
echo "end: $(date -u '+%F %H:%M') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
