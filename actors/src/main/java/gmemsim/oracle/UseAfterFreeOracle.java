package gmemsim.oracle;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Event;
import gmemsim.model.KernelEvents.ObjectUseAfterFree;
import gmemsim.model.mm.MmEvents.PageAccess;
import java.util.List;

/**
 * {@code use-after-free}: a page is accessed by a path whose reference was taken on an
 * allocation that has since been freed (the page is free now, or belongs to a newer allocation),
 * or a kernel object other than a page (struct kvm) is used after it was freed.
 */
public final class UseAfterFreeOracle implements Oracle {
  public static final String NAME = "use-after-free";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(PageAccess.class, ObjectUseAfterFree.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof ObjectUseAfterFree o) {
      sink.fire(NAME, o.actor() + ": " + o.primitive() + "() on " + o.object() + ", which was freed", List.of(o.actor()),
          List.of(o.object()));
      return;
    }
    if (!(e instanceof PageAccess a)) return;
    // Every access is an event; the words are built only for the rare one that fires.
    if (a.gen() == 0) {
      fire(a, ", which is free in the page allocator", sink);
    } else if (a.claimedFolio() != 0 && a.gen() != a.claimedGen()) {
      // With no reference at all (claimedFolio 0) there is no allocation it could have outlived.
      fire(a, ", which was freed and reallocated since " + a.actor() + " took its reference", sink);
    }
  }

  private static void fire(PageAccess a, String why, Sink sink) {
    String how = a.actor() + (a.write() ? " writes" : " reads") + " pfn " + hex(a.pfn());
    sink.fire(NAME, how + why, List.of(a.actor()), List.of(hex(a.pfn())));
  }
}
