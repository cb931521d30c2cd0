package gmemsim.bench;

import gmemsim.runtime.Coverage;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.RunResult;
import gmemsim.runtime.Seeds;
import gmemsim.runtime.Strategy;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the controlled runtime as a hunt uses it: one operation is one complete run
 * (machine build, every delivery, the end-of-run checks), exactly what {@code Hunt.run} repeats,
 * with a fresh run seed each time. JMH reports runs/s and, through {@link StepCounter}, steps/s.
 * The scenarios cover the folio split race (mm only), a direct-map design (CPUs, TLBs, direct
 * map, guest_memfd) and two KVM workloads (EPT, invalidation, TDX), whose steps cost different
 * amounts.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ControlledRunBench {

  @Param({
    "scenarios/split-vs-tryget.conf",
    "scenarios/direct-map-per-folio.conf",
    "scenarios/fault-vs-punch-hole.conf",
    "scenarios/tdx-punch-hole-huge.conf"
  })
  public String scenario;

  @Param({"pct", "random"})
  public String strategy;

  /** Step-outcome and race-window coverage (run.coverage), on in every hunt by default. */
  @Param({"on", "off"})
  public String coverage;

  private Scenario s;
  private Strategy strat;
  private long seed;
  private long maxSteps;
  private long run;
  private Coverage cov;

  @Setup(Level.Trial)
  public void setUp() {
    s = ScenarioFiles.load(scenario);
    seed = s.longValue(Knobs.SEED);
    maxSteps = s.intValue(Knobs.MAX_STEPS);
    // pct spreads its change points over [0, k): calibrated as a hunt does, so the runs
    // measured are the runs a hunt makes.
    long k = strategy.equals("pct") ? Hunt.pctK(s, seed, maxSteps) : 0;
    strat = Hunt.strategy(strategy, s.intValue(Knobs.PCT_DEPTH), k);
    run = 0;
    cov = coverage.equals("on") ? new Coverage() : null;
  }

  @Benchmark
  public RunResult run(StepCounter counter) {
    // Run seed i of the hunt seed, as Hunt.run derives it: every invocation is a different run.
    RunResult r = Hunt.runOnce(s, Seeds.runSeed(seed, run++), strat, maxSteps, null, cov);
    counter.steps += r.steps();
    return r;
  }
}
