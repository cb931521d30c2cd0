#!/usr/bin/env bash
# Runs and seconds to the first violation of ORACLE, for seeds FIRST..LAST, per strategy.
# usage: bench/time-to-first.sh [SCENARIO] [ORACLE] [FIRST] [LAST] [BUDGET] [STRATEGY...]
# Prints one line per (strategy, seed) and the median per strategy. A seed that does not find
# the oracle within BUDGET counts as "not found" (the median is then a lower bound, or none).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scenario=${1:-$here/scenarios/split-vs-tryget.conf}
oracle=${2:-refcount-error}
first=${3:-1}
last=${4:-10}
budget=${5:-120s}
shift $(( $# < 5 ? $# : 5 ))
strategies=("${@:-pct}")
[ ${#strategies[@]} -eq 0 ] && strategies=(pct random)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
field() { # field FILE NAME: the value of NAME inside the $oracle entry of a summary.json
  awk -v o="\"$oracle\"" -v f="\"$2\"" '$1 == o {in_o = 1} in_o && $1 == f {gsub(/[ ,]/, "", $3); print $3; exit}' "$1"
}
for strategy in "${strategies[@]}"; do
  runs=(); secs=()
  for seed in $(seq "$first" "$last"); do
    "$here/gmemsim" run "$scenario" --strategy "$strategy" --seed "$seed" --budget "$budget" \
      --stop-at-first --quiet --out "$out/$strategy-$seed" > /dev/null || true
    s="$out/$strategy-$seed/summary.json"
    r=$(field "$s" runsToFirst); ms=$(field "$s" timeToFirstMs)
    if [ -n "$r" ]; then
      echo "$strategy seed $seed: $oracle after $r runs, $ms ms"
      runs+=("$r"); secs+=("$ms")
    else
      echo "$strategy seed $seed: $oracle not found within $budget"
      runs+=(999999999); secs+=(999999999)
    fi
  done
  med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
  echo "$strategy median over seeds $first..$last: $(med "${runs[@]}") runs, $(med "${secs[@]}") ms (999999999 = not found)"
done
