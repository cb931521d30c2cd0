package gmemsim.runtime;

import java.util.List;

/** Delivers messages in exactly the recorded order of ids; fails loudly if the run diverges. */
public final class ReplayStrategy implements Strategy {
  private final long[] schedule;

  public ReplayStrategy(long[] schedule) {
    this.schedule = schedule.clone();
  }

  @Override
  public String name() {
    return "replay";
  }

  @Override
  public void beginRun(long runSeed, int components) {}

  @Override
  public int pick(List<Envelope> pool, long step) {
    if (step >= schedule.length) {
      throw new ScheduleDivergence(
          "the recorded schedule ends after " + schedule.length + " steps but "
              + pool.size() + " messages are still in flight");
    }
    long want = schedule[(int) step];
    for (int i = 0; i < pool.size(); i++) if (pool.get(i).id() == want) return i;
    throw new ScheduleDivergence(
        "step " + step + ": recorded message " + Envelope.sender(want) + "#" + Envelope.seq(want)
            + " is not in flight; the model or the scenario changed since it was recorded");
  }

  /** The run no longer matches the schedule: the model or knobs differ from the recording. */
  public static class ScheduleDivergence extends RuntimeException {
    public ScheduleDivergence(String m) {
      super(m);
    }
  }
}
