package gmemsim.oracle;

import gmemsim.model.Event;
import gmemsim.model.KernelEvents.Warn;
import java.util.List;

/** {@code warn}: a WARN_ON/WARN_ON_ONCE site of the modelled code is reached. */
public final class WarnOracle implements Oracle {
  public static final String NAME = "warn";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(Warn.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof Warn w) {
      sink.fire(NAME, w.actor() + ": WARNING in " + w.site() + ": " + w.condition(), List.of(w.actor()), List.of());
    }
  }
}
