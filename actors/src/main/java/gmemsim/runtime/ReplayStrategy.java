package gmemsim.runtime;

import java.util.List;

/**
 * Delivers messages in exactly the recorded order of ids, and makes the model's choices as recorded
 * when the schedule holds them (an exhaustive search's); fails loudly if the run diverges.
 */
public final class ReplayStrategy implements Strategy {
  private final long[] schedule;
  private final boolean choices;
  private int next;

  public ReplayStrategy(long[] schedule) {
    this.schedule = schedule.clone();
    boolean any = false;
    for (long e : schedule) any |= Envelope.isChoice(e);
    this.choices = any;
  }

  @Override
  public String name() {
    return "replay";
  }

  @Override
  public void beginRun(long runSeed, int components) {
    next = 0;
  }

  @Override
  public boolean choosesData() {
    return choices;
  }

  @Override
  public int choose(int n) {
    if (next >= schedule.length || !Envelope.isChoice(schedule[next]) || Envelope.choiceOf(schedule[next]) != n) {
      throw new ScheduleDivergence("entry " + next + ": the model asks for a choice of " + n + " where the recording has "
          + (next >= schedule.length ? "nothing" : Envelope.isChoice(schedule[next]) ? "a choice of " + Envelope.choiceOf(schedule[next])
              : "a step") + "; the model or the scenario changed since it was recorded");
    }
    return Envelope.choiceOutcome(schedule[next++]);
  }

  @Override
  public int pick(List<Envelope> pool, long step) {
    if (next >= schedule.length) {
      throw new ScheduleDivergence(
          "the recorded schedule ends after " + step + " steps but "
              + pool.size() + " messages are still in flight");
    }
    long want = schedule[next];
    if (Envelope.isChoice(want)) {
      throw new ScheduleDivergence("step " + step + ": the recording has a choice of the model's here, not a step;"
          + " the model or the scenario changed since it was recorded");
    }
    next++;
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
