package gmemsim.oracle;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Event;
import gmemsim.model.mm.MmEvents.PageAccess;
import java.util.List;

/**
 * {@code use-after-free}: a page is accessed by a path whose reference was taken on an
 * allocation that has since been freed (the page is free now, or belongs to a newer allocation).
 */
public final class UseAfterFreeOracle implements Oracle {
  public static final String NAME = "use-after-free";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (!(e instanceof PageAccess a)) return;
    String how = a.actor() + (a.write() ? " writes" : " reads") + " pfn " + hex(a.pfn());
    List<String> who = List.of(a.actor());
    List<String> what = List.of(hex(a.pfn()));
    if (a.gen() == 0) {
      sink.fire(NAME, how + ", which is free in the page allocator", who, what);
    } else if (a.gen() != a.claimedGen()) {
      sink.fire(
          NAME,
          how + ", which was freed and reallocated since " + a.actor() + " took its reference",
          who,
          what);
    }
  }
}
