package gmemsim.oracle;

import gmemsim.model.Event;
import gmemsim.model.NoProgress;
import java.util.List;

/**
 * {@code livelock}: a path retries without bound while nothing else can change its outcome (every
 * message in flight belongs to a spinning retry loop): the liveness counterpart of a deadlock.
 */
public final class LivelockOracle implements Oracle {
  public static final String NAME = "livelock";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(NoProgress.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof NoProgress n) {
      List<String> who = n.spinners().stream().map(s -> s.split(":", 2)[0]).toList();
      sink.fire(
          NAME,
          "no progress: " + String.join("; ", n.spinners()) + " went round " + n.rounds()
              + " retries while nothing else had work to do",
          who,
          List.of());
    }
  }
}
