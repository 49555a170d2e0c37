"""Summarizes a policy-benchmark `graft compare` results.json (see bench/policy_bench.sh)."""
import json, re, statistics, sys
from collections import defaultdict

HAND = ["scratch", "head_only", "partial", "full", "discriminative", "l2sp"]
d = json.load(open(sys.argv[1]))
acc = defaultdict(dict)      # (strategy, shots) -> seed -> test accuracy
val = defaultdict(dict)      # (strategy, shots) -> seed -> the search's estimate of its choice
secs = defaultdict(list)
chosen = defaultdict(list)   # (strategy, shots) -> what the search chose, per seed
for r in d["runs"]:
    key = (r["strategy"], r["shots"])
    acc[key][r["seed"]] = r["test"]["accuracy"] if r.get("test") else float("nan")
    secs[key].append(r["total_seconds"])
    s = r.get("search")
    if s:
        # the chosen policy's estimate: the search record's, else the best trial's value
        # after issue 20 the run's message carries the chosen estimate: "...: LABEL: 0.812 ± 0.030, rank ..."
        m = re.search(r": ([0-9.]+) ± ([0-9.]+)", r.get("message", ""))
        est = float(m.group(1)) if m else None
        c = re.search(r"labelled image: (.*): [0-9.]+ ± ", r.get("message", ""))
        chosen[key].append(c.group(1) if c else "its best trial")
        if est is None:
            vals = [t.get("value") for t in s.get("trials", []) if t.get("value") is not None]
            est = max(vals) if vals else None
        if est is None and r.get("history"):
            h = r["history"][r["best_epoch"] if r["best_epoch"] >= 0 else -1]
            est = h.get("validation")
        val[key][r["seed"]] = est

def sd(xs):
    return statistics.stdev(xs) if len(xs) > 1 else 0.0

for shots in sorted({k[1] for k in acc}):
    names = [k[0] for k in acc if k[1] == shots]
    hand = [n for n in names if n in HAND]
    best_hand = max(hand, key=lambda n: statistics.mean(acc[(n, shots)].values()))
    print(f"\n{shots} shots (test accuracy, mean ± sd over seeds; paired differences by seed)")
    print(f"{'strategy':16} {'test':>15} {'s/run':>7} {'vs scratch':>11} {'vs ' + best_hand:>20} {'val-test gap':>13}")
    for n in names:
        a = acc[(n, shots)]
        seeds = sorted(a)
        xs = [a[s] for s in seeds]
        line = f"{n:16} {statistics.mean(xs):.3f} ± {sd(xs):.3f} {statistics.mean(secs[(n, shots)]):7.1f}"
        if n not in HAND:
            ds = [a[s] - acc[("scratch", shots)][s] for s in seeds]
            dh = [a[s] - acc[(best_hand, shots)][s] for s in seeds]
            gaps = [val[(n, shots)][s] - a[s] for s in seeds if val[(n, shots)].get(s) is not None]
            line += f" {statistics.mean(ds):+11.3f} {statistics.mean(dh):+20.3f}"
            line += f" {statistics.mean(gaps):+13.3f}" if gaps else ""
        print(line)
        if chosen.get((n, shots)):
            print(f"{'':16} chose: {', '.join(chosen[(n, shots)])}")
    print(f"scratch sd over seeds: {sd(list(acc[('scratch', shots)].values())):.3f}; best hand strategy: {best_hand}")
