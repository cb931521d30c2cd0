package gmemsim.runtime.dfs;

import java.util.List;

/**
 * Where an exhaustive search stopped when its budget ended: the path of choice points with what
 * each has tried, so that a later search goes on from there and makes exactly the runs the
 * unbroken search would have made next. Written as frontier.json beside the summary; read back by
 * run.resume (--resume FILE), which refuses one recorded for another scenario or kernel.
 */
public record Frontier(
    String format,
    String scenario,
    String kernel,
    String knobs,
    List<Point> path,
    int replayTo,
    long runsBefore,
    long complete,
    long stopped,
    int deepest) {
  public static final String FORMAT = "gmemsim-frontier/1";

  /** One choice point, as {@link DfsStrategy}'s node. */
  public record Point(
      boolean data,
      long[] enabled,
      int[] lanes,
      boolean[] yields,
      int prevLane,
      boolean prevYielded,
      int preemptions,
      List<Slept> sleep,
      List<Slept> done,
      boolean[] allowed,
      long chosen) {}

  public record Slept(long id, int[] footprint) {}
}
