#!/usr/bin/env python3
"""Replays successive-halving rules offline on the full learning curves of an unpruned search.

Usage: replay_rungs.py SEARCH.JSONL [EPOCHS]

Give it the journal of a search run with `pruner: none` (every trial trained to the end). For
each rule (the value compared at a rung: the rung's own value, or the best so far; first rung r;
reduction factor eta) it replays ASHA over 300 random orders of the trials and prints the mean
epochs per trial, and how often the trials that survive include one with the best final value.
"""
import json, random, statistics, sys

curves, final = {}, {}
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["event"] == "report":  # journals written before the tell record carried the values
        curves.setdefault(e["trial"], []).append(e["value"])
    if e["event"] == "tell" and "value" in e:
        final[e["trial"]] = e["value"]
        if "intermediate" in e:
            curves[e["trial"]] = e["intermediate"]
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else max(len(c) for c in curves.values())
ids = [t for t in final if len(curves.get(t, [])) >= epochs]
best = max(final[t] for t in ids)
print(f"{len(ids)} trials of {epochs} epochs; best final value {best} ({sum(final[t] == best for t in ids)} trials)")


def rungs(r, eta):
    out, x = [], r
    while x - 1 < epochs - 1:
        out.append(x - 1)
        x *= eta
    return out


def replay(r, eta, compared, order):
    seen = {s: [] for s in rungs(r, eta)}
    cost, found = 0, -1.0
    for t in order:
        c = curves[t] if compared == "rung value" else [max(curves[t][:i + 1]) for i in range(epochs)]
        for s in seen:
            seen[s].append(c[s])
            keep = max(1, len(seen[s]) // eta)
            if c[s] < sorted(seen[s])[-keep]:
                cost += s + 1
                break
        else:
            cost += epochs
            found = max(found, final[t])
    return cost / len(order), found


for compared in ("rung value", "best so far"):
    for r in (1, 2, 3, 4, 6):
        for eta in (3, 4):
            rnd = random.Random(1)
            runs = []
            for _ in range(300):
                order = ids[:]
                rnd.shuffle(order)
                runs.append(replay(r, eta, compared, order))
            per_trial = statistics.mean(x[0] for x in runs)
            kept = statistics.mean(x[1] >= best for x in runs)
            print(f"{compared:11}  r={r} eta={eta}: {per_trial:5.1f} epochs per trial ({epochs / per_trial:4.2f}x fewer),"
                  f" best kept in {100 * kept:3.0f}% of orders")
