package gmemsim.runtime;

import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.oracle.Oracles;
import gmemsim.oracle.Violation;
import gmemsim.runtime.controlled.ControlledRun;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Scenario;
import java.util.List;
import java.util.Map;

/**
 * Many short controlled runs of one scenario, each with a seed derived from the hunt's seed,
 * until the budget (time or runs) is spent. Keeps, per oracle, the count of runs it fired in and
 * the schedule of the first one.
 */
public final class Hunt {
  /** Called now and then with the totals so far; may print progress. */
  public interface Progress {
    void update(long runs, long steps, long elapsedMs, int oraclesFired);
  }

  /**
   * @param stopAtFirst end the hunt after the first run in which an oracle fired
   * @param stopOracle with stopAtFirst: only this oracle ends it (null: any), as a benchmark of
   *     the time to one bug needs
   */
  public record Options(
      long seed,
      String strategy,
      int pctDepth,
      Budget budget,
      long maxSteps,
      boolean stopAtFirst,
      String stopOracle,
      double untilConfidence,
      double familyRate) {
    public Options(long seed, String strategy, int pctDepth, Budget budget, long maxSteps) {
      this(seed, strategy, pctDepth, budget, maxSteps, false, null, 0, 0);
    }

    public Options(long seed, String strategy, int pctDepth, Budget budget, long maxSteps, boolean stopAtFirst,
        String stopOracle) {
      this(seed, strategy, pctDepth, budget, maxSteps, stopAtFirst, stopOracle, 0, 0);
    }

    /**
     * These options with {@code q}, the lowest per-run hit rate (95% lower bound) measured for a
     * known-bad variant of the scenario's family: --until-confidence stops a clean hunt once a
     * bug at least that frequent would have been found with probability C.
     */
    public Options withFamilyRate(double q) {
      return new Options(seed, strategy, pctDepth, budget, maxSteps, stopAtFirst, stopOracle, untilConfidence, q);
    }

    /** Whether a hunt that found these oracles is done. */
    public boolean stops(Map<String, ?> findings) {
      return stopAtFirst && (stopOracle == null ? !findings.isEmpty() : findings.containsKey(stopOracle));
    }

    public boolean stops(FindingsLedger ledger) {
      return stopAtFirst && (stopOracle == null ? !ledger.isEmpty() : ledger.has(stopOracle));
    }
  }

  static final int PCT_CALIBRATION_RUNS = 32;

  /** How often a hunt reports its totals: often enough for a smooth progress bar. */
  public static final long PROGRESS_NANOS = 250_000_000L;

  private Hunt() {}

  public static Strategy strategy(String name, int pctDepth, long k) {
    return switch (name) {
      case "random" -> new RandomStrategy();
      case "pct" -> new PctStrategy(pctDepth, k);
      case "pct-racing" -> new PctStrategy(pctDepth, k, StepClock.racing());
      case "pos" -> new PosStrategy();
      case "mix" -> new MixStrategy(new PctStrategy(pctDepth, k));
      case "dfs" -> throw new IllegalArgumentException(
          "strategy dfs is a search of its own: it runs in the controlled runtime (runtime.kind = controlled), not in this one");
      default -> throw new IllegalArgumentException("unknown strategy '" + name + "'");
    };
  }

  /** Strategy names the controlled runtime offers. */
  public static java.util.List<String> strategies() {
    return java.util.List.of("random", "pct", "pct-racing", "pos", "mix", "dfs");
  }

  /** One run, as a hunt or a replay executes it. */
  public static RunResult runOnce(
      Scenario s, long runSeed, Strategy strategy, long maxSteps, DeliveryListener l) {
    return runOnce(s, runSeed, strategy, maxSteps, l, null);
  }

  /** One run that also counts its step outcomes and race windows into {@code coverage} (may be null). */
  public static RunResult runOnce(
      Scenario s, long runSeed, Strategy strategy, long maxSteps, DeliveryListener l, Coverage coverage) {
    Machine m = MachineBuilder.build(s);
    return new ControlledRun(m, runSeed, Oracles.create(), l).withCoverage(coverage).execute(strategy, maxSteps);
  }

  /**
   * pct needs an upper bound k on the run length to spread its change points over. Runs differ
   * wildly (a split that gives up is 40x shorter than one that succeeds), so take the longest of
   * a few random runs, with seeds of their own so every hunt with this seed gets the same k and a
   * run depends only on (scenario, seed, run index).
   */
  public static long pctK(Scenario s, long seed, long maxSteps) {
    long k = 0;
    for (int c = 0; c < PCT_CALIBRATION_RUNS; c++) {
      RunResult cal = runOnce(s, Seeds.runSeed(seed, -1 - c), new RandomStrategy(), maxSteps, null);
      k = Math.max(k, cal.steps());
    }
    return k;
  }

  /** pct-racing's k: the most racing steps of the same calibration runs as {@link #pctK}. */
  public static long racingK(Scenario s, long seed, long maxSteps) {
    long k = 0;
    for (int c = 0; c < PCT_CALIBRATION_RUNS; c++) {
      StepClock clock = StepClock.racing();
      RandomStrategy random = new RandomStrategy();
      Strategy counting = new Strategy() {
        @Override
        public String name() {
          return "racing-calibration";
        }

        @Override
        public void beginRun(long runSeed, int components) {
          random.beginRun(runSeed, components);
          clock.reset(components);
        }

        @Override
        public int pick(java.util.List<Envelope> pool, long step) {
          int i = random.pick(pool, step);
          clock.delivered(pool.get(i));
          return i;
        }
      };
      runOnce(s, Seeds.runSeed(seed, -1 - c), counting, maxSteps, null);
      k = Math.max(k, clock.now(0));
    }
    return k;
  }

  /**
   * --until-confidence C: the runs after which a bug whose per-run hit rate is at least the
   * family's lowest (see {@link Options#withFamilyRate}) is found with probability C;
   * Long.MAX_VALUE when not asked, or when no rate was measured.
   */
  public static long confidenceRuns(Scenario s, Options o, long k) {
    if (o.untilConfidence() <= 0 || o.familyRate() <= 0) return Long.MAX_VALUE;
    return gmemsim.report.HitRate.runsToFind(o.familyRate(), o.untilConfidence());
  }

  public static HuntResult run(Scenario s, Options o, Progress progress) {
    if (o.strategy().equals("dfs")) return gmemsim.runtime.dfs.Exhaustive.run(s, o, progress);
    long t0 = System.nanoTime();
    long k;
    try {
      k = o.strategy().equals("pct") || o.strategy().equals("mix") ? pctK(s, o.seed(), o.maxSteps())
          : o.strategy().equals("pct-racing") ? racingK(s, o.seed(), o.maxSteps()) : 0;
    } catch (RuntimeException e) {
      // pct's calibration runs are runs too: a model failure there is reported like one in the hunt.
      return new HuntResult(o.strategy(), o.seed(), 0, 0, (System.nanoTime() - t0) / 1_000_000L, 0, 0, Map.of(),
          new FindingsLedger().findings(), "pct's calibration run failed: " + e.getMessage(), 0, 0, Map.of(), null, null, null);
    }
    Strategy strategy = strategy(o.strategy(), o.pctDepth(), k);
    Coverage coverage = s.bool(gmemsim.scenario.Knobs.COVERAGE) ? new Coverage() : null;
    RunTally tally = new RunTally(t0, coverage, progress);
    HuntBudget budget = new HuntBudget(o, confidenceRuns(s, o, k));
    String error = null;
    while (budget.wants(tally.runs(), tally.ledger())) {
      long runSeed = Seeds.runSeed(o.seed(), tally.runs());
      RunResult r;
      try {
        r = runOnce(s, runSeed, strategy, o.maxSteps(), null, coverage);
      } catch (RuntimeException e) {
        // A model failure must not lose what earlier runs found: stop here and report both.
        error = "run " + tally.runs() + " (run seed " + runSeed + ") failed: " + e.getMessage();
        break;
      }
      tally.add(runSeed, r);
    }
    return tally.result(o.strategy(), o.seed(), k, error, null);
  }
}
