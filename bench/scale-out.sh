#!/usr/bin/env bash
# Scale-out of swarm placement (issue 15), side by side on each scenario:
#   1 node pinned to core 0            against  2 nodes pinned to cores 0 and 1   (target ratio >= 1.8)
#   1 node on both cores               against  3 nodes on both cores
# and, as the machine's own ceiling for the first pair, two independent 1-node hunts at once, one
# pinned to each core: on a VM whose two cores slow each other down (a shared host core, memory
# bandwidth, a clock that drops under load) no cluster can beat their sum, so the 2-node hunt is
# also given as a share of it.
# runs/s is the hunt's (runs / wall time from the first node's join), read from summary.json; the
# coordinator's own time per lease gives the node count at which it would saturate. Writes the
# table to OUT/scale-out.md and into bench/RESULTS.md between the scale-out markers.
# usage: bench/scale-out.sh [BUDGET] [OUT_DIR]      (default 60s, out/scale-out); about 8 minutes at 60s
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
budget=${1:-60s}
out=${2:-out/scale-out}
rm -rf "$out"
mkdir -p "$out"
command -v taskset >/dev/null || { echo "scale-out.sh: taskset (util-linux) is needed to pin nodes to cores" >&2; exit 2; }
[ "$(nproc --all)" -ge 2 ] || { echo "scale-out.sh: needs at least 2 cores" >&2; exit 2; }
./gmemsim list >/dev/null   # build the jar first, outside the timed runs

run() { # name, then the command's arguments; a hunt that misses its expect still has its figures
  local name=$1; shift
  "$@" --budget "$budget" --quiet --out "$out/$name" >"$out/$name.log" 2>&1 || true
  [ -f "$out/$name/summary.json" ] || { echo "scale-out.sh: $name wrote no summary.json (see $out/$name.log)" >&2; exit 1; }
}

field() { # summary.json, python expression over d
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

table="$out/scale-out.md"
{
  echo "| scenario | setup | nodes | runs | runs/s | ratio | coordinator us/lease | saturates at (nodes) | lost |"
  echo "|---|---|---|---|---|---|---|---|---|"
} >"$table"
for scen in split-vs-tryget fault-vs-punch-hole; do
  f=scenarios/$scen.conf
  run "$scen-1n-1core" taskset -c 0 ./gmemsim cluster --nodes 1 "$f"
  run "$scen-2n-1core-each" taskset -c 0 ./gmemsim cluster --nodes 2 --child-taskset 1 "$f"
  # The ceiling: two 1-node hunts at once, nothing shared between them but the machine.
  run "$scen-pair-core0" taskset -c 0 ./gmemsim cluster --nodes 1 "$f" &
  run "$scen-pair-core1" taskset -c 1 ./gmemsim cluster --nodes 1 "$f"
  wait $! || { echo "scale-out.sh: $scen-pair-core0 wrote no summary.json" >&2; exit 1; }
  run "$scen-1n-2cores" ./gmemsim cluster --nodes 1 "$f"
  run "$scen-3n-2cores" ./gmemsim cluster --nodes 3 "$f"
  for pair in "1n-1core 2n-1core-each" "1n-2cores 3n-2cores"; do
    set -- $pair
    base=$(field "$out/$scen-$1/summary.json" "d['runsPerSec']")
    for setup in "$1" "$2"; do
      s="$out/$scen-$setup/summary.json"
      rps=$(field "$s" "d['runsPerSec']")
      # A lease is LEASE_TARGET (200 ms) of a worker's time: one coordinator feeds 200 ms / (its time per lease) nodes.
      echo "| $scen | $setup | $(field "$s" "d['nodes']") | $(field "$s" "format(d['runs'], ',')") | $(printf "%'d" "$rps")" \
        "| $(python3 -c "print(f'{$rps/$base:.2f}')") | $(field "$s" "d['cluster']['coordinatorMicrosPerLease']")" \
        "| $(field "$s" "format(int(200000/max(d['cluster']['coordinatorMicrosPerLease'],0.001)), ',')")" \
        "| $(field "$s" "len(d['cluster']['lostNodes'])") |" >>"$table"
    done
  done
  base=$(field "$out/$scen-1n-1core/summary.json" "d['runsPerSec']")
  pair=$(( $(field "$out/$scen-pair-core0/summary.json" "d['runsPerSec']") + $(field "$out/$scen-pair-core1/summary.json" "d['runsPerSec']") ))
  two=$(field "$out/$scen-2n-1core-each/summary.json" "d['runsPerSec']")
  echo "| $scen | 2 independent 1-node hunts at once, cores 0 and 1 (the ceiling) | 1+1 | $(field "$out/$scen-pair-core0/summary.json" "format(d['runs'], ',')") + $(field "$out/$scen-pair-core1/summary.json" "format(d['runs'], ',')")" \
    "| $(printf "%'d" "$pair") | $(python3 -c "print(f'{$pair/$base:.2f}')") (2 nodes reach $(python3 -c "print(f'{100*$two/$pair:.0f}')")% of it) | - | - | - |" >>"$table"
done
cat "$table"

# Into bench/RESULTS.md, between the markers (added at the end the first time).
bench/results-section.py scale-out "Scale-out of swarm placement (\`bench/scale-out.sh $budget\`)" "$table" \
  "nodes pinned with taskset where the setup says so; run.coverage on (the default)" \
  "ratio: runs/s against the first row of its pair (1 node on the same cores)"
echo "wrote $table and the scale-out section of bench/RESULTS.md"
