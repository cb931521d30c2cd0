package gmemsim.runtime;

import gmemsim.oracle.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * What a hunt knows of one oracle: how many runs it fired in, everything needed to replay the
 * first of them, and the distinct races (racing-step signatures) behind it, each with its own
 * first run to replay.
 *
 * @param races by first run; their counts add up to {@code count} except for runs whose
 *     signature is unknown (the akka runtime counts runs of an oracle it had found already
 *     without replaying them)
 */
public record Finding(
    String oracle,
    long count,
    long firstRun,
    long firstRunSeed,
    long timeToFirstMs,
    long runsToFirst,
    Violation first,
    long[] schedule,
    List<Race> races) {

  /** The finding of one run: one race. */
  public Finding(String oracle, long count, long firstRun, long firstRunSeed, long timeToFirstMs, long runsToFirst,
      Violation first, long[] schedule) {
    this(oracle, count, firstRun, firstRunSeed, timeToFirstMs, runsToFirst, first, schedule,
        new ArrayList<>(List.of(new Race(first.race(), count, firstRun, firstRunSeed, first, schedule))));
  }

  /** The same finding, its runs numbered {@code by} later (a piece's runs placed in the whole search's order). */
  public Finding shifted(long by) {
    List<Race> moved = new ArrayList<>();
    for (Race r : races) moved.add(new Race(r.signature(), r.count(), r.firstRun() + by, r.firstRunSeed(), r.first(), r.schedule()));
    return new Finding(oracle, count, firstRun + by, firstRunSeed, timeToFirstMs, runsToFirst + by, first, schedule, moved);
  }

  /** The same finding, fired in one more run whose race is unknown. */
  public Finding counted() {
    return new Finding(oracle, count + 1, firstRun, firstRunSeed, timeToFirstMs, runsToFirst, first, schedule, races);
  }
}
