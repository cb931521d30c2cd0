package gmemsim.model.cpu;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Topology;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.PageTag;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * A legitimate kernel user on this CPU: alloc_pages(GFP_KERNEL | __GFP_ZERO), which zeroes the
 * page through its direct-map address (clear_page(page_address(page))), then frees it. A store
 * to a non-present direct-map entry is an oops: no exception-table fixup covers clear_page(). The
 * task dies there, and the page it allocated is never freed.
 */
public final class KernelClearPagePath extends CallingPath {
  private enum Pc {
    ALLOC_PAGES,
    CLEAR_PAGE,
    FOLIO_PUT,
    DONE
  }

  private final Tlb tlb;
  private final Topology topo;
  private final int directMap;
  private Pc pc;
  private int pfn;
  private DirectMapAccessPath clear;

  public KernelClearPagePath(Tlb tlb, Topology topo, int directMap) {
    this.tlb = tlb;
    this.topo = topo;
    this.directMap = directMap;
  }

  @Override
  public String name() {
    return "alloc_pages(__GFP_ZERO)";
  }

  @Override
  protected boolean begin(Ctx ctx) {
    pc = Pc.ALLOC_PAGES;
    pfn = 0;
    ctx.send(topo.memoryRange(0), new MemoryProtocol.AllocPages(0, false));
    return false;
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case ALLOC_PAGES -> {
        if (r.value() < 0) {
          pc = Pc.DONE;
          return true;
        }
        pfn = (int) r.value();
        pc = Pc.CLEAR_PAGE;
        clear = new DirectMapAccessPath("clear_page", tlb, topo, directMap, pfn, PageTag.NONE);
        return call(clear, ctx);
      }
      case CLEAR_PAGE -> {
        if (clear.oopsed()) {
          pc = Pc.DONE;
          return true;
        }
        pc = Pc.FOLIO_PUT;
        ctx.send(topo.memoryFor(pfn), new MemoryProtocol.FolioPut(pfn, 1));
        return false;
      }
      case FOLIO_PUT -> {
        pc = Pc.DONE;
        return true;
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  @Override
  protected String here() {
    return pc + (pfn != 0 ? " " + hex(pfn) : "");
  }
}
