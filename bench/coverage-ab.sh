#!/usr/bin/env bash
# Controlled steps/s and runs/s, before and after, with coverage on and off (issue 14's cost
# target; issue 25's "no slower than today"): builds BASE (default c5fbf3a, before coverage; issue
# 25 uses e2879b7, before kernel source) in a git worktree, then alternates 8-second hunts of the
# base build, this build with coverage on, and this build with coverage off, ROUNDS times per
# scenario, and prints steps/s and runs/s from each summary.json and the medians.
# usage: bench/coverage-ab.sh [BASE] [ROUNDS]        (default c5fbf3a 3; about 2 minutes a round)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
base=${1:-c5fbf3a}
rounds=${2:-3}
source "$here/bench/base-tree.sh"
for round in $(seq "$rounds"); do
  for scen in split-vs-tryget fault-vs-punch-hole; do
    for build in base on off; do
      case $build in
        base) jar=$tree/actors/target/gmemsim.jar; home=$tree; extra=();;
        on) jar=$here/actors/target/gmemsim.jar; home=$here; extra=(--set run.coverage=true);;
        off) jar=$here/actors/target/gmemsim.jar; home=$here; extra=(--set run.coverage=false);;
      esac
      rm -rf "$out/run"
      # Each build hunts its own copy of the scenario (the base tree's has no coverage keys).
      java -Xmx2g -Dgmemsim.home="$home" -jar "$jar" run "$home/scenarios/$scen.conf" --budget 8s --quiet \
        --out "$out/run" "${extra[@]}" >/dev/null 2>&1 || true
      sps=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['stepsPerSec'], round(d['runs'] * 1000 / max(1, d['elapsedMs'])))" "$out/run/summary.json")
      echo "$round $scen $build $sps" | tee -a "$results"
    done
  done
done
python3 - "$results" <<'PY'
import sys, statistics, collections
by = collections.defaultdict(list)
rps = collections.defaultdict(list)
for line in open(sys.argv[1]):
    _, scen, build, sps, runs = line.split()
    by[(scen, build)].append(int(sps))
    rps[(scen, build)].append(int(runs))
for scen in ("split-vs-tryget", "fault-vs-punch-hole"):
    base = statistics.median(by[(scen, "base")])
    on = statistics.median(by[(scen, "on")])
    off = statistics.median(by[(scen, "off")])
    print(f"{scen}: base {base:,.0f}, coverage on {on:,.0f} ({(on / base - 1) * 100:+.0f}% against base), "
          f"coverage off {off:,.0f} ({(off / base - 1) * 100:+.0f}% against base; on is {(1 - on / off) * 100:.0f}% slower than off) steps/s, medians")
    rb, ron, roff = (statistics.median(rps[(scen, b)]) for b in ("base", "on", "off"))
    print(f"{scen}: runs/s base {rb:,.0f}, coverage on {ron:,.0f}, coverage off {roff:,.0f}, medians")
PY
