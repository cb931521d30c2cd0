package gmemsim.oracle;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Event;
import gmemsim.model.mm.MmEvents.MemoryLost;
import java.util.List;

/** {@code memory-lost}: a page is leaked or poisoned, so the kernel never uses it again. */
public final class MemoryLostOracle implements Oracle {
  public static final String NAME = "memory-lost";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(MemoryLost.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof MemoryLost l) {
      sink.fire(
          NAME,
          (1 << l.order()) + " page(s) at " + hex(l.pfn()) + " lost: " + l.why(),
          List.of(l.actor()),
          List.of(hex(l.pfn())));
    }
  }
}
