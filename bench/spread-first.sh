#!/usr/bin/env bash
# Runs to the first finding, per scenario with a bad design (its default, or the variant named
# below), on one Akka node against a 3-node spread cluster on loopback (issue 15, item 2; target:
# within 10x), with the controlled runtime (pct) for reference. Each hunt stops at its first
# finding (--stop-at-first) or at BUDGET; a hunt that found nothing shows "none in N runs".
# Each cell is the median over SEEDS (run.seed; default "1") of the runs to the first finding;
# ONLY (scenario names, space-separated) measures a subset. Writes OUT/spread-first.md and the
# spread-first section of bench/RESULTS.md (spread-first-subset with ONLY).
# usage: [SEEDS="1 2 3"] [ONLY="tdx-attr-split-error ..."] bench/spread-first.sh [BUDGET] [OUT_DIR]
#        (default 60s, out/spread-first)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
budget=${1:-60s}
out=${2:-out/spread-first}
seeds=${SEEDS:-1}
only=${ONLY:-}
rm -rf "$out"
mkdir -p "$out"
./gmemsim list >/dev/null   # build the jar first

# scenario file, then --set arguments of its bad variant ("" for the scenario's own design)
cases=()
for f in scenarios/*.conf; do
  grep -q '^expect.violations' "$f" && cases+=("$f|")
done
cases+=("scenarios/fault-vs-punch-hole.conf|kvm.fault-retry-check=none")
if [ -n "$only" ]; then
  kept=()
  for c in "${cases[@]}"; do
    n=$(basename "${c%%|*}" .conf)
    for o in $only; do [ "$n" = "$o" ] && kept+=("$c"); done
  done
  cases=("${kept[@]}")
fi

run() { # name, then the command; a hunt that misses its expect still has its figures
  local name=$1; shift
  "$@" --budget "$budget" --stop-at-first --quiet --out "$out/$name" >"$out/$name.log" 2>&1 || true
}

cell() { # summary.json of each seed -> "MEDIAN (oracles)" over the seeds that found something,
  #        with "k/n seeds" when some did not, or "none in N runs"
  python3 - "$@" <<'PY'
import json, sys, os, statistics
firsts, oracles, runs, errors = [], set(), 0, []
for p in sys.argv[1:]:
    if not os.path.exists(p):
        errors.append("no summary"); continue
    d = json.load(open(p))
    o = d.get("oracles", {})
    if o:
        name, f = min(o.items(), key=lambda kv: kv[1]["runsToFirst"])
        firsts.append(f["runsToFirst"]); oracles.add(name)
    else:
        runs += d["runs"]
        if d.get("error"): errors.append(d["error"][:60])
n = len(sys.argv) - 1
if firsts:
    med = statistics.median(firsts)
    seeds = "" if len(firsts) == n else f"; {len(firsts)}/{n} seeds"
    print(f"{med:,g} ({', '.join(sorted(oracles))}{seeds})")
else:
    print(f"none in {runs:,} runs" + (f" (error: {errors[0]})" if errors else ""))
PY
}

hits() { # summary.json of each seed -> "HITS/RUNS (RATE)" of the oracle found first, over the seeds:
  #        a stop-at-first hunt still ends the runs it had in flight, so the rate is a rough one
  python3 - "$@" <<'PY'
import json, sys, os
ds = [json.load(open(p)) for p in sys.argv[1:] if os.path.exists(p)]
firsts = [min(d["oracles"].items(), key=lambda kv: kv[1]["runsToFirst"])[0] for d in ds if d.get("oracles")]
if not firsts:
    print("-"); sys.exit()
oracle = max(set(firsts), key=firsts.count)
hits = sum(d.get("oracles", {}).get(oracle, {}).get("count", 0) for d in ds)
runs = sum(d["runs"] for d in ds)
print(f"{hits:,}/{runs:,} ({100 * hits / runs:.1f}%)" if runs else "-")
PY
}

crossed() { python3 -c "import json,sys; print(format(json.load(open(sys.argv[1])).get('crossNodeMessages', 0), ','))" "$1" 2>/dev/null || echo "-"; }

table="$out/spread-first.md"
{
  echo "| scenario | variant | controlled (pct) | one akka node | 3-node spread | spread / one node | hits one node | hits spread | messages crossing nodes |"
  echo "|---|---|---|---|---|---|---|---|---|"
} >"$table"
for c in "${cases[@]}"; do
  f=${c%%|*}; variant=${c#*|}
  name=$(basename "$f" .conf)
  sets=(--set expect.clean=false)
  [ -n "$variant" ] && sets+=(--set "$variant")
  for seed in $seeds; do
    run "$name-controlled-s$seed" ./gmemsim run "$f" "${sets[@]}" --set run.seed="$seed"
    run "$name-akka1-s$seed" ./gmemsim run "$f" --runtime akka "${sets[@]}" --set run.seed="$seed"
    run "$name-spread3-s$seed" ./gmemsim cluster --nodes 3 --placement spread "$f" "${sets[@]}" --set run.seed="$seed"
  done
  summaries() { for seed in $seeds; do echo "$out/$name-$1-s$seed/summary.json"; done; }
  a=$(cell $(summaries akka1)); s=$(cell $(summaries spread3))
  ratio=$(python3 - "$a" "$s" <<'PY'
import sys, re
def n(x):
    m = re.match(r"([\d,.]+) \(", x)
    return float(m.group(1).replace(",", "")) if m else None
a, s = n(sys.argv[1]), n(sys.argv[2])
print(f"{s / a:.1f}x" if a and s else "-")
PY
)
  echo "| $name | ${variant:-(its own)} | $(cell $(summaries controlled)) | $a | $s | $ratio | $(hits $(summaries akka1)) | $(hits $(summaries spread3)) | $(crossed "$out/$name-spread3-s${seeds%% *}/summary.json") |" | tee -a "$table"
done

section=spread-first
title="Runs to the first finding: one node against a 3-node spread cluster (\`bench/spread-first.sh $budget\`)"
if [ -n "$only" ]; then  # a subset gets its own section; the full table stays as it was measured
  section=spread-first-subset
  title="Runs to the first finding, a subset (\`SEEDS=\"$seeds\" ONLY=\"$only\" bench/spread-first.sh $budget\`)"
fi
bench/results-section.py "$section" "$title" "$table" \
  "2 cores shared by all nodes" \
  "each hunt stops at its first finding or at the budget; the oracle named is the one found first" \
  "runs to first: the median over seeds $seeds (one sample per cell when only one)" \
  "hits: runs that found the oracle found first / runs made, over the seeds (a stop-at-first hunt still ends the runs in flight)"
echo "wrote $table and the $section section of bench/RESULTS.md"
