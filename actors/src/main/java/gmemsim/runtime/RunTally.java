package gmemsim.runtime;

import java.util.Map;

/**
 * What one controlled hunt keeps of its runs, whatever strategy made them: steps, runs cut at the
 * step limit, the exposure meter, coverage and the findings, with progress reported now and then.
 */
public final class RunTally {
  private final long t0;
  private final Coverage coverage;
  private final Hunt.Progress progress;
  private final FindingsLedger ledger = new FindingsLedger();
  private Exposure exposure = Exposure.NONE;
  private long runs;
  private long steps;
  private long truncated;
  private long lastReport;

  /** @param t0 System.nanoTime() when the hunt began (times to a finding count from there) */
  public RunTally(long t0, Coverage coverage, Hunt.Progress progress) {
    this.t0 = t0;
    this.lastReport = t0;
    this.coverage = coverage;
    this.progress = progress;
  }

  public long runs() {
    return runs;
  }

  public Coverage coverage() {
    return coverage;
  }

  public FindingsLedger ledger() {
    return ledger;
  }

  public long truncated() {
    return truncated;
  }

  private long ms() {
    return (System.nanoTime() - t0) / 1_000_000L;
  }

  /** Counts run number runs() (made with this run seed). */
  public void add(long runSeed, RunResult r) {
    add(runSeed, r, true);
  }

  /** As {@link #add(long, RunResult)}; with keepFindings false the run's violations are not recorded. */
  public void add(long runSeed, RunResult r, boolean keepFindings) {
    steps += r.steps();
    if (coverage != null) coverage.ranOnce(runs, runSeed, r, ms());
    if (r.exposedSteps() >= 0) exposure = exposure.add(r.exposedSteps(), r.exposedMaxPerPage());
    if (r.truncated()) truncated++;
    if (keepFindings && !r.violations().isEmpty()) ledger.record(runs, runSeed, r, ms());
    runs++;
    long now = System.nanoTime();
    if (progress != null && now - lastReport > Hunt.PROGRESS_NANOS) {
      lastReport = now;
      progress.update(runs, steps, ms(), ledger.size());
    }
  }

  /** The hunt's result: strategy, seed and pct's k as given; an error, if a run failed. */
  public HuntResult result(String strategy, long seed, long pctK, String error, Verification v) {
    return result(strategy, seed, pctK, error, v, null);
  }

  /** @param sample the run to save as the sample (an answered claim's run), or null for coverage's */
  public HuntResult result(String strategy, long seed, long pctK, String error, Verification v, Finding sample) {
    return new HuntResult(
        strategy, seed, runs, steps, ms(), pctK, truncated,
        truncated == 0 ? Map.of() : Map.of(CutReason.STEP_LIMIT.key, truncated), ledger.findings(), error, 0, 0, Map.of(),
        exposure.runs() == 0 ? null : exposure, coverage, sample != null ? sample : coverage == null ? null : coverage.sample(),
        null, v);
  }
}
