package gmemsim.runtime;

import gmemsim.oracle.Violation;

/**
 * What a hunt knows of one oracle: how many runs it fired in, and everything needed to replay
 * the first of them.
 */
public record Finding(
    String oracle,
    long count,
    long firstRun,
    long firstRunSeed,
    long timeToFirstMs,
    long runsToFirst,
    Violation first,
    long[] schedule) {

  /** The same finding, fired in one more run. */
  public Finding counted() {
    return new Finding(
        oracle, count + 1, firstRun, firstRunSeed, timeToFirstMs, runsToFirst, first, schedule);
  }
}
