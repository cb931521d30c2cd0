#!/usr/bin/env bash
# Controlled steps and runs per CPU-second, before and after, coverage on and off (issue 25's "no
# slower than today" and "coverage costs at most 15%"), by the hunting thread's CPU time
# (bench/CpuMain.java), so that other load on the machine does not count as it does in
# bench/coverage-ab.sh's wall-clock rates. Builds BASE (default e2879b7, the last Java-path
# build) in a git worktree, then runs each of base, base with coverage off, this build with
# coverage on and off, ROUNDS times per scenario. Two figures per row: the best whole command of
# RUNS runs (start-up, kernel compilation and the JIT's warm-up included), and the median rate
# once warm: the CPU time of RUNS runs less that of the first RUNS/10 (the same runs: a hunt's
# runs depend only on seed and index), over the steps and runs between. A difference of two
# noisy times has outliers both ways, so its best would flatter; the median does not. The raw
# figures go to stderr.
# usage: bench/cpu-ab.sh [BASE] [ROUNDS] [RUNS]   (default e2879b7 3 100000; about 12 minutes)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
base=${1:-e2879b7}
rounds=${2:-3}
runs=${3:-100000}
source "$here/bench/base-tree.sh"
for round in $(seq "$rounds"); do
  for scen in split-vs-tryget fault-vs-punch-hole; do
    for build in base baseoff on off; do
      case $build in
        base) home=$tree; extra=();;
        baseoff) home=$tree; extra=(--set run.coverage=false);;
        on) home=$here; extra=(--set run.coverage=true);;
        off) home=$here; extra=(--set run.coverage=false);;
      esac
      for n in $((runs / 10)) "$runs"; do
        rm -rf "$out/run"
        ns=$(java -Xmx2g -Dgmemsim.home="$home" -cp "$home/actors/target/gmemsim.jar" "$here/bench/CpuMain.java" \
          run "$home/scenarios/$scen.conf" --budget "${n}runs" --quiet --out "$out/run" "${extra[@]}" 2>&1 >/dev/null \
          | awk '/^CPUNS/ {print $2}')
        python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(sys.argv[2], d["steps"], d["runs"], sys.argv[3], end=" ")' "$out/run/summary.json" "$ns" "$([ "$n" = "$runs" ] && echo long || echo short)" >> "$results"
      done
      echo "$scen $build" >> "$results"
    done
  done
done
cat "$results" >&2
python3 - "$results" <<'PY'
import sys, collections, statistics
whole = collections.defaultdict(lambda: (0, 0))
warm = collections.defaultdict(list)
spr = {}
for line in open(sys.argv[1]):
    f = line.split()
    # short: ns steps runs short; long: ns steps runs long; then scenario build
    ns0, st0, ru0, ns1, st1, ru1, scen, b = int(f[0]), int(f[1]), int(f[2]), int(f[4]), int(f[5]), int(f[6]), f[8], f[9]
    k = (scen, b)
    if st1 / ns1 > whole[k][0] / 1e9: whole[k] = (st1 / ns1 * 1e9, ru1 / ns1 * 1e9)
    warm[k].append(((st1 - st0) / (ns1 - ns0) * 1e9, (ru1 - ru0) / (ns1 - ns0) * 1e9))
    spr[k] = st1 / ru1
med = {k: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v)) for k, v in warm.items()}
print(f"{'scenario':20} {'build':7} {'steps/cpu-s':>19} {'runs/cpu-s':>15} {'warm steps/cpu-s':>19} {'warm runs/cpu-s':>15} steps/run")
print("(whole: best of the rounds; warm: their median; on against base, off against baseoff)")
for (scen, b) in sorted(whole):
    r = (scen, 'baseoff' if b in ('off', 'baseoff') else 'base')
    (sps, rps), (wsps, wrps) = whole[(scen, b)], med[(scen, b)]
    print(f"{scen:20} {b:7} {sps:>11,.0f} ({sps / whole[r][0] - 1:+4.0%}) {rps:>8,.0f} ({rps / whole[r][1] - 1:+4.0%})"
          f" {wsps:>11,.0f} ({wsps / med[r][0] - 1:+4.0%}) {wrps:>8,.0f} ({wrps / med[r][1] - 1:+4.0%}) {spr[(scen, b)]:.0f}")
PY
