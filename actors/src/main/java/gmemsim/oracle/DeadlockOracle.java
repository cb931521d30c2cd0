package gmemsim.oracle;

import gmemsim.model.Event;
import gmemsim.model.StepLimitReached;
import gmemsim.model.thread.ExecutorStuck;
import java.util.List;

/**
 * {@code deadlock}: no component can make progress while work remains: a thread still has a path
 * to finish when no message is in flight (it sleeps on something nobody will release), or a run
 * keeps going past its step limit.
 */
public final class DeadlockOracle implements Oracle {
  public static final String NAME = "deadlock";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof ExecutorStuck t) {
      sink.fire(
          NAME,
          t.executor() + " never finishes " + t.path() + ": it waits at " + t.where()
              + " and no message is in flight",
          List.of(t.executor()),
          List.of());
    } else if (e instanceof StepLimitReached l) {
      sink.fire(
          NAME,
          "no progress: " + l.steps() + " steps delivered and " + l.unfinished()
              + " still not finished",
          l.unfinished(),
          List.of());
    }
  }
}
