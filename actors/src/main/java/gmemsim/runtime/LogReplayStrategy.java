package gmemsim.runtime;

import java.util.List;
import java.util.Map;

/**
 * Rebuilds a schedule from per-component receive logs (what each actor of the Akka runtime
 * handled, in order). At each step it delivers a message that is next in its recipient's log.
 * Components are deterministic, so each one goes through the same states as in the recorded run
 * whichever order the logs are merged in; the merged order is then the replay schedule.
 */
public final class LogReplayStrategy implements Strategy {
  private final Map<Integer, long[]> logs;
  private int[] next;

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
  }

  @Override
  public int pick(List<Envelope> pool, long step) {
    int best = -1;
    for (int i = 0; i < pool.size(); i++) {
      Envelope e = pool.get(i);
      long[] log = logs.get(e.to());
      if (log == null) {
        throw new ReplayStrategy.ScheduleDivergence(
            "no receive log for component " + e.to() + ", which has a message in flight");
      }
      int n = next[e.to()];
      if (n < log.length && log[n] == e.id() && (best < 0 || e.to() < pool.get(best).to())) best = i;
    }
    if (best < 0) {
      throw new ReplayStrategy.ScheduleDivergence(
          "step " + step + ": no message in flight is next in its recipient's receive log");
    }
    next[pool.get(best).to()]++;
    return best;
  }

  /** Whether every log was consumed to its end. */
  public boolean consumedAll() {
    for (Map.Entry<Integer, long[]> e : logs.entrySet()) {
      if (next[e.getKey()] != e.getValue().length) return false;
    }
    return true;
  }
}
