#!/usr/bin/env bash
# Strategy x bad-design scenario (issue 26): runs to the first finding of each strategy over seeds
# 1..10, budget 5,000 runs a seed, for every scenario that expects a violation and the bad knob
# values of fault-vs-punch-hole and fault-vs-conversion. Writes out/bench-strategies/<name>/bench.json
# and prints the table (bench/strategies-table.py). About 15 minutes on one core.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
out=out/bench-strategies
mkdir -p "$out"
run() { # name file extra...
  n=$1; f=$2; shift 2
  ./gmemsim bench "$f" --strategy random,pct,pct-racing,pos,mix --seeds 1..10 --budget 5000runs --quiet --out "$out/$n" "$@" > /dev/null
}
for f in scenarios/*.conf; do
  n=$(basename "$f" .conf)
  python3 - "$f" <<'PY' || continue
import re, sys
t = open(sys.argv[1]).read().split('\nvariants')[0]
sys.exit(0 if re.search(r'^expect\.violations\s*=\s*\[\s*\S', t, re.M) else 1)
PY
  run "$n" "$f"
done
run fault-vs-punch-hole-none scenarios/fault-vs-punch-hole.conf --set kvm.fault-retry-check=none --oracle stale-mapping
run fault-vs-punch-hole-lockless-only scenarios/fault-vs-punch-hole.conf --set kvm.fault-retry-check=lockless-only --oracle stale-mapping
run fault-vs-conversion-none scenarios/fault-vs-conversion.conf --set kvm.fault-retry-check=none --oracle stale-mapping
python3 bench/strategies-table.py "$out"
