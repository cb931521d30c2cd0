package gmemsim.runtime;

import java.util.Map;

/**
 * A hunt's totals and its findings by oracle (in the order they were first found).
 *
 * @param pctK the run length pct spread its change points over (0 for other strategies)
 * @param truncatedRuns runs cut short instead of ending
 * @param cutShort the cut runs by {@link CutReason#key} (only reasons that occurred)
 * @param error what stopped the hunt early (a run threw, a node was lost), or null; findings so
 *     far are kept
 * @param crossNodeMessages model messages that went to an actor on another node (akka runtime)
 * @param faultedRuns runs in which a timing fault (preemption, stall, pace, start delay) held a
 *     thread's step back (akka runtime; the controlled runtime has none)
 * @param placement the node address of each component (akka runtime; empty otherwise)
 * @param exposure direct-map exposure over the runs, or null when not measured (no direct map,
 *     or the akka runtime, where no one thread sees every owner's state)
 * @param coverage step outcomes and race windows over the runs (controlled runtime), or null
 * @param sample the clean run that opened the most race windows, to replay and look at (its
 *     "violation" is {@link Coverage#SAMPLE}), or null
 * @param cluster per-node runs, lost nodes and re-issued runs (swarm placement), or null
 */
public record HuntResult(
    String strategy,
    long seed,
    long runs,
    long steps,
    long elapsedMs,
    long pctK,
    long truncatedRuns,
    Map<String, Long> cutShort,
    Map<String, Finding> findings,
    String error,
    long crossNodeMessages,
    long faultedRuns,
    Map<String, String> placement,
    Exposure exposure,
    Coverage coverage,
    Finding sample,
    ClusterReport cluster,
    Verification verification) {

  /** A hunt that ran in one place (no cluster report). */
  public HuntResult(String strategy, long seed, long runs, long steps, long elapsedMs, long pctK, long truncatedRuns,
      Map<String, Long> cutShort, Map<String, Finding> findings, String error, long crossNodeMessages, long faultedRuns,
      Map<String, String> placement, Exposure exposure, Coverage coverage, Finding sample) {
    this(strategy, seed, runs, steps, elapsedMs, pctK, truncatedRuns, cutShort, findings, error, crossNodeMessages, faultedRuns,
        placement, exposure, coverage, sample, null, null);
  }

  /** A hunt on a cluster (no exhaustive search runs there). */
  public HuntResult(String strategy, long seed, long runs, long steps, long elapsedMs, long pctK, long truncatedRuns,
      Map<String, Long> cutShort, Map<String, Finding> findings, String error, long crossNodeMessages, long faultedRuns,
      Map<String, String> placement, Exposure exposure, Coverage coverage, Finding sample, ClusterReport cluster) {
    this(strategy, seed, runs, steps, elapsedMs, pctK, truncatedRuns, cutShort, findings, error, crossNodeMessages, faultedRuns,
        placement, exposure, coverage, sample, cluster, null);
  }

  public double stepsPerSec() {
    return elapsedMs == 0 ? 0 : steps * 1000.0 / elapsedMs;
  }

  public double runsPerSec() {
    return elapsedMs == 0 ? 0 : runs * 1000.0 / elapsedMs;
  }
}
