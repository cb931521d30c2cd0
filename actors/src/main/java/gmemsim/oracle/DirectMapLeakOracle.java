package gmemsim.oracle;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Event;
import gmemsim.model.dmap.Addr;
import gmemsim.model.mm.MmEvents.DirectMapRead;
import gmemsim.model.mm.PageTag;
import java.util.List;

/**
 * {@code direct-map-leak}: guest-private data of no-direct-map memory is read through the kernel
 * direct map, by a valid page-table entry or a stale TLB entry, speculatively or not.
 */
public final class DirectMapLeakOracle implements Oracle {
  public static final String NAME = "direct-map-leak";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(DirectMapRead.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof DirectMapRead r && PageTag.mustNotBeInDirectMap(r.tag())) {
      sink.fire(
          NAME,
          r.cpu() + (r.speculative() ? " speculatively" : "") + " reads "
              + Addr.hexVa(Addr.pageAddress(r.pfn())) + " (pfn " + hex(r.pfn()) + ") through "
              + (r.tlbHit() ? "its TLB entry" : "a valid direct-map entry")
              + " and sees guest-private data of no-direct-map memory",
          List.of(r.cpu()),
          List.of(hex(r.pfn())));
    }
  }
}
