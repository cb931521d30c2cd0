package gmemsim.runtime;

import gmemsim.scenario.Budget;

/**
 * Whether a hunt wants another fresh run: its budget (runs or time) is not spent, --stop-at-first
 * has not been met, and a hunt with no finding has not yet reached --until-confidence. One test
 * for the controlled hunt, the Akka coordinator and the swarm coordinator, so that a budget means
 * the same runs in every runtime.
 */
public final class HuntBudget {
  private final Hunt.Options options;
  private final long confidenceRuns;
  private long startNanos;

  /** @param confidenceRuns the runs after which a clean hunt stops (Long.MAX_VALUE: never) */
  public HuntBudget(Hunt.Options options, long confidenceRuns) {
    this.options = options;
    this.confidenceRuns = confidenceRuns;
    this.startNanos = System.nanoTime();
  }

  /** The hunt starts now (a cluster starts its clock once its nodes formed). */
  public void start() {
    startNanos = System.nanoTime();
  }

  public long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000L;
  }

  /** Whether run number {@code next} (the first not handed out yet) is wanted, given what was found. */
  public boolean wants(long next, FindingsLedger found) {
    if (options.stops(found)) return false;
    if (found.isEmpty() && next >= confidenceRuns) return false;
    Budget b = options.budget();
    if (b.isRuns()) return next < b.runs();
    return System.nanoTime() - startNanos < b.millis() * 1_000_000L;
  }

  /** At most how many runs from {@code next} on the budget and the confidence target allow. */
  public long runsLeft(long next) {
    long left = options.budget().isRuns() ? options.budget().runs() - next : Long.MAX_VALUE;
    if (confidenceRuns != Long.MAX_VALUE) left = Math.min(left, Math.max(1, confidenceRuns - next));
    return left;
  }
}
