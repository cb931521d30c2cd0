#!/usr/bin/env bash
# Measures every target of issue 6 in one run on this machine and writes bench/RESULTS.md:
#   1. JMH: the controlled runtime's steps/s per scenario and strategy, and each component's
#      message-handling cost;
#   2. gmemsim bench: runs and seconds to the first refcount-error, seeds 1..20, pct and random
#      (one JVM), and time-to-first.sh for pct with a fresh JVM per seed;
#   3. the Akka runtime on one node, and on 3 nodes on loopback (steps/s from summary.json).
# Takes about 18 minutes on 2 cores. Run it on an otherwise idle machine.
# usage: bench/run-all.sh [OUT_DIR]      (default out/bench-all)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
out=${1:-out/bench-all}
rm -rf "$out"
mkdir -p "$out"
mvn -B -q -ntp -DskipTests package
java -jar bench/target/benchmarks.jar -f 1 -wi 3 -w 2s -i 5 -r 2s -rf json -rff "$out/jmh.json" | tee "$out/jmh.txt"
./gmemsim bench scenarios/split-vs-tryget.conf --seeds 1..20 --budget 60s --out "$out/ttf" --quiet
# The same with a fresh JVM per seed: every seed pays JIT warm-up, as a single `gmemsim run` does.
bench/time-to-first.sh scenarios/split-vs-tryget.conf refcount-error 1 20 60s pct | tee "$out/cold.txt"
# An Akka hunt exits 1 when the outcome misses its expect; the figures are what count here.
./gmemsim run scenarios/split-vs-tryget.conf --runtime akka --budget 30s --quiet --out "$out/akka1" || true
# The scenario's injected preemption parks threads on purpose (wall-time idle); without it:
./gmemsim run scenarios/split-vs-tryget.conf --runtime akka --budget 30s --quiet --out "$out/akka1-nopreempt" \
  --set faults.preempt-rate=0 || true
./gmemsim cluster --nodes 3 --placement spread scenarios/split-vs-tryget.conf --budget 60s --quiet --out "$out/akka3" || true
./gmemsim cluster --nodes 3 --placement spread scenarios/split-vs-tryget.conf --cluster-config cluster-config/loopback-all-remote.conf \
  --budget 60s --quiet --out "$out/akka3-remote" || true
java -cp bench/target/benchmarks.jar gmemsim.bench.WriteResults "$out" bench/RESULTS.md bench/notes.md \
  "bench/run-all.sh $*"
echo "wrote bench/RESULTS.md"
