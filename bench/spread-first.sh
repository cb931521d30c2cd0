#!/usr/bin/env bash
# Runs to the first finding, per scenario with a bad design (its default, or the variant named
# below), on one Akka node against a 3-node spread cluster on loopback (issue 15, item 2; target:
# within 10x), with the controlled runtime (pct) for reference. Each hunt stops at its first
# finding (--stop-at-first) or at BUDGET; a hunt that found nothing shows "none in N runs".
# Writes OUT/spread-first.md and the spread-first section of bench/RESULTS.md.
# usage: bench/spread-first.sh [BUDGET] [OUT_DIR]     (default 60s, out/spread-first)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
budget=${1:-60s}
out=${2:-out/spread-first}
rm -rf "$out"
mkdir -p "$out"
./gmemsim list >/dev/null   # build the jar first

# scenario file, then --set arguments of its bad variant ("" for the scenario's own design)
cases=()
for f in scenarios/*.conf; do
  grep -q '^expect.violations' "$f" && cases+=("$f|")
done
cases+=("scenarios/fault-vs-punch-hole.conf|kvm.fault-retry-check=none")

run() { # name, then the command; a hunt that misses its expect still has its figures
  local name=$1; shift
  "$@" --budget "$budget" --stop-at-first --quiet --out "$out/$name" >"$out/$name.log" 2>&1 || true
}

cell() { # summary.json -> "RUNS (oracle)" or "none in N runs" or "failed"
  python3 - "$1" <<'PY'
import json, sys, os
p = sys.argv[1]
if not os.path.exists(p):
    print("failed (no summary)"); sys.exit()
d = json.load(open(p))
o = d.get("oracles", {})
if o:
    name, f = min(o.items(), key=lambda kv: kv[1]["runsToFirst"])
    print(f"{f['runsToFirst']:,} ({name})")
else:
    err = d.get("error")
    print(f"none in {d['runs']:,} runs" + (f" (error: {err[:60]})" if err else ""))
PY
}

crossed() { python3 -c "import json,sys; print(format(json.load(open(sys.argv[1])).get('crossNodeMessages', 0), ','))" "$1" 2>/dev/null || echo "-"; }

table="$out/spread-first.md"
{
  echo "| scenario | variant | controlled (pct) | one akka node | 3-node spread | spread / one node | messages crossing nodes |"
  echo "|---|---|---|---|---|---|---|"
} >"$table"
for c in "${cases[@]}"; do
  f=${c%%|*}; variant=${c#*|}
  name=$(basename "$f" .conf)
  sets=(--set expect.clean=false)
  [ -n "$variant" ] && sets+=(--set "$variant")
  run "$name-controlled" ./gmemsim run "$f" "${sets[@]}"
  run "$name-akka1" ./gmemsim run "$f" --runtime akka "${sets[@]}"
  run "$name-spread3" ./gmemsim cluster --nodes 3 --placement spread "$f" "${sets[@]}"
  a=$(cell "$out/$name-akka1/summary.json"); s=$(cell "$out/$name-spread3/summary.json")
  ratio=$(python3 - "$a" "$s" <<'PY'
import sys, re
def n(x):
    m = re.match(r"([\d,]+) \(", x)
    return int(m.group(1).replace(",", "")) if m else None
a, s = n(sys.argv[1]), n(sys.argv[2])
print(f"{s / a:.1f}x" if a and s else "-")
PY
)
  echo "| $name | ${variant:-(its own)} | $(cell "$out/$name-controlled/summary.json") | $a | $s | $ratio | $(crossed "$out/$name-spread3/summary.json") |" | tee -a "$table"
done

bench/results-section.py spread-first \
  "Runs to the first finding: one node against a 3-node spread cluster (\`bench/spread-first.sh $budget\`)" "$table" \
  "2 cores shared by all nodes" \
  "each hunt stops at its first finding or at the budget; the oracle named is the one found first" \
  "runs to first is one sample per cell (seed 1), not a median"
echo "wrote $table and the spread-first section of bench/RESULTS.md"
