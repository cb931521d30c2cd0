package gmemsim.runtime;

/**
 * How long guest-private data of no-direct-map memory stayed readable through the direct map,
 * over the runs of a hunt (controlled runtime only).
 *
 * @param runsExposed runs with at least one exposed step
 * @param totalSteps exposed steps summed over runs
 * @param maxStepsInRun the most exposed steps of one run
 * @param maxStepsPerPage the most steps one page was readable in one run
 */
public record Exposure(long runs, long runsExposed, long totalSteps, long maxStepsInRun, long maxStepsPerPage) {
  public static final Exposure NONE = new Exposure(0, 0, 0, 0, 0);

  public Exposure add(long steps, long perPage) {
    return new Exposure(
        runs + 1,
        runsExposed + (steps > 0 ? 1 : 0),
        totalSteps + steps,
        Math.max(maxStepsInRun, steps),
        Math.max(maxStepsPerPage, perPage));
  }

  public double meanStepsPerRun() {
    return runs == 0 ? 0 : (double) totalSteps / runs;
  }
}
