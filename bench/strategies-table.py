"""Strategy x scenario table from `gmemsim bench` output folders (bench/strategies.sh): per cell, the seeds
that found the bug, the median runs to the first finding over the 10 seeds (a seed that found
nothing counts as more than the budget) and, in brackets, the median seconds."""
import glob
import json
import os
import sys

strategies = ['random', 'pct', 'pct-racing', 'pos', 'mix']
print("| scenario (oracle) | " + " | ".join(f"{s}: found, median runs (s)" for s in strategies) + " |")
print("|---|" + "---|" * len(strategies))
every = {s: 0 for s in strategies}
none = {s: 0 for s in strategies}
fastest = {s: 0 for s in strategies}
total = 0


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


# Several output folders may hold the same scenario's strategies: their seeds are merged.
merged = {}
for root in sys.argv[1:]:
    for d in sorted(glob.glob(root + '/*/bench.json')):
        j = json.load(open(d))
        n = os.path.basename(os.path.dirname(d))
        if n in merged:
            merged[n]['seeds'] += j['seeds']
        else:
            merged[n] = j
for n in sorted(merged):
    j = merged[n]
    total += 1
    cells = []
    best = None
    for s in strategies:
        seeds = [e for e in j['seeds'] if e['strategy'] == s]
        if not seeds:
            cells.append('-')
            continue
        found = [e for e in seeds if e['runsToFirst'] >= 0]
        m = median([e['runsToFirst'] if e['runsToFirst'] >= 0 else float('inf') for e in seeds])
        t = median([e['msToFirst'] / 1000 if e['runsToFirst'] >= 0 else float('inf') for e in seeds])
        if len(found) == len(seeds):
            every[s] += 1
        if not found:
            none[s] += 1
        cells.append(f"{len(found)}/{len(seeds)}, {m:,.0f} ({t:.2f})" if m != float('inf') else f"{len(found)}/{len(seeds)}, > budget")
        key = (len(found), -t)
        if best is None or key > best[0]:
            best = (key, s)
    fastest[best[1]] += 1
    print(f"| {n} ({j['oracle']}) | " + " | ".join(cells) + " |")
print()
print(f"Over {total} scenarios: found by every seed: " + ", ".join(f"{s} {every[s]}" for s in strategies)
      + "; by no seed: " + ", ".join(f"{s} {none[s]}" for s in strategies)
      + "; best (most seeds, then least median time): " + ", ".join(f"{s} {fastest[s]}" for s in strategies) + ".")
