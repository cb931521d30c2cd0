package gmemsim.model.lock;

import gmemsim.model.Event;

/**
 * Ghost facts about sleeping locks, named by lock (e.g. {@code gmem0 invalidate_lock}) and holder
 * (the executor that runs the path): what the deadlock oracle needs for the wait-for graph.
 */
public final class LockEvents {
  private LockEvents() {}

  public record Acquired(String lock, String who) implements Event {}

  public record Waits(String lock, String who) implements Event {}

  public record Released(String lock, String who) implements Event {}
}
