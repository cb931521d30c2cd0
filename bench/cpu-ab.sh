#!/usr/bin/env bash
# Controlled steps and runs per CPU-second, before and after, coverage on and off (issue 25's "no
# slower than today" and "coverage costs at most 15%"), by the hunting thread's CPU time
# (bench/CpuMain.java), so that other load on the machine does not count as it does in
# bench/coverage-ab.sh's wall-clock rates. Builds BASE (default e2879b7, the last Java-path
# build) in a git worktree, then runs each of base, base with coverage off, this build with
# coverage on and off for RUNS runs, ROUNDS times per scenario, and prints the best of each.
# usage: bench/cpu-ab.sh [BASE] [ROUNDS] [RUNS]   (default e2879b7 3 100000; about 10 minutes)
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
      rm -rf "$out/run"
      ns=$(java -Xmx2g -Dgmemsim.home="$home" -cp "$home/actors/target/gmemsim.jar" "$here/bench/CpuMain.java" \
        run "$home/scenarios/$scen.conf" --budget "${runs}runs" --quiet --out "$out/run" "${extra[@]}" 2>&1 >/dev/null \
        | awk '/^CPUNS/ {print $2}')
      python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); cpu = int(sys.argv[4]) / 1e9
print(sys.argv[2], sys.argv[3], round(d["steps"] / cpu), round(d["runs"] / cpu), round(d["steps"] / d["runs"]))' \
        "$out/run/summary.json" "$scen" "$build" "$ns" >> "$results"
    done
  done
done
python3 - "$results" <<'PY'
import sys, collections
best = collections.defaultdict(lambda: (0, 0, 0))
for line in open(sys.argv[1]):
    scen, b, sps, rps, spr = line.split()
    if int(sps) > best[(scen, b)][0]:
        best[(scen, b)] = (int(sps), int(rps), int(spr))
print(f"{'scenario':22} {'build':8} {'steps/cpu-s':>12} {'runs/cpu-s':>11} steps/run   (best of each; on against base, off against baseoff)")
for (scen, b), (sps, rps, spr) in sorted(best.items()):
    ref = best[(scen, 'baseoff' if b in ('off', 'baseoff') else 'base')]
    print(f"{scen:22} {b:8} {sps:>12,} ({sps / ref[0] - 1:+.0%}) {rps:>11,} ({rps / ref[1] - 1:+.0%}) {spr}")
PY
