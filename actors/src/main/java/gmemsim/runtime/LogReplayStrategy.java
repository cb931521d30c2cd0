package gmemsim.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a schedule from per-component receive logs (what each actor of the Akka runtime
 * handled, in order). At each step it delivers a message that is next in its recipient's log.
 * Components are deterministic, so each one goes through the same states as in the recorded run
 * whichever order the logs are merged in; the merged order is then the replay schedule.
 *
 * <p>Of the messages that are next in their recipient's log, it delivers the one that has been in
 * flight longest, the order a machine running every component at once comes closest to. The
 * merge order is otherwise free, but what the controlled runtime judges over the whole machine
 * (its livelock test reads every message in flight) depends on it: a reply that the recorded run
 * handled at once must not wait in the replay behind a spinner's thousand steps.
 */
public final class LogReplayStrategy implements Strategy {
  private final Map<Integer, long[]> logs;
  private int[] next;
  /** When each message in flight was first seen (a counter): the oldest eligible one goes first. */
  private final Map<Long, Long> seen = new HashMap<>();
  private long stamp;

  /** @param logs receive log (message ids in order) of each state-owning component */
  public LogReplayStrategy(Map<Integer, long[]> logs) {
    this.logs = Map.copyOf(logs);
  }

  @Override
  public String name() {
    return "log-replay";
  }

  @Override
  public void beginRun(long runSeed, int components) {
    next = new int[components];
    seen.clear();
    stamp = 0;
  }

  @Override
  public int pick(List<Envelope> pool, long step) {
    int best = -1;
    long bestSeen = Long.MAX_VALUE;
    for (int i = 0; i < pool.size(); i++) {
      Envelope e = pool.get(i);
      long since = seen.computeIfAbsent(e.id(), id -> stamp++);
      long[] log = logs.get(e.to());
      if (log == null) {
        throw new ReplayStrategy.ScheduleDivergence(
            "no receive log for component " + e.to() + ", which has a message in flight");
      }
      int n = next[e.to()];
      if (n < log.length && log[n] == e.id() && since < bestSeen) {
        best = i;
        bestSeen = since;
      }
    }
    if (best < 0) {
      for (Envelope e : pool) {
        if (next[e.to()] == logs.get(e.to()).length) {
          throw new LogsEnded("step " + step + ": component " + e.to() + " has a message in flight past the end of its receive log");
        }
      }
      throw new ReplayStrategy.ScheduleDivergence(
          "step " + step + ": no message in flight is next in its recipient's receive log");
    }
    next[pool.get(best).to()]++;
    seen.remove(pool.get(best).id());
    return best;
  }

  /**
   * The logs ran out with messages still in flight: the recorded run was cut (at its step limit, or
   * as a suspected livelock) and the replay has gone as far as they reach.
   */
  public static final class LogsEnded extends ReplayStrategy.ScheduleDivergence {
    LogsEnded(String message) {
      super(message);
    }
  }

  /** Whether every log was consumed to its end. */
  public boolean consumedAll() {
    for (Map.Entry<Integer, long[]> e : logs.entrySet()) {
      if (next[e.getKey()] != e.getValue().length) return false;
    }
    return true;
  }
}
