package gmemsim.oracle;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Event;
import gmemsim.model.dmap.Addr;
import gmemsim.model.mm.MmEvents.DirectMapFault;
import java.util.List;

/**
 * {@code direct-map-fault}: the kernel touches a direct-map address whose entry is invalid where
 * it needs the mapping (an oops). Speculative loads never count: they just get nothing.
 */
public final class DirectMapFaultOracle implements Oracle {
  public static final String NAME = "direct-map-fault";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(DirectMapFault.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof DirectMapFault f) {
      sink.fire(
          NAME,
          f.cpu() + ": " + f.what() + "(" + Addr.hexVa(Addr.pageAddress(f.pfn())) + ") hits a"
              + " non-present direct-map entry (pfn " + hex(f.pfn()) + "): oops",
          List.of(f.cpu()),
          List.of(hex(f.pfn())));
    }
  }
}
