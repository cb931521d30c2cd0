package gmemsim.model.cpu;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Topology;
import gmemsim.model.dmap.Addr;
import gmemsim.model.dmap.DirectMapProtocol;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.MmEvents;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * A legitimate kernel user on this CPU: alloc_pages(GFP_KERNEL | __GFP_ZERO), which zeroes the
 * page through its direct-map address (clear_page(page_address(page))), then frees it. A store
 * to a non-present direct-map entry is an oops: no exception-table fixup covers clear_page(). The
 * task dies there, and the page it allocated is never freed.
 */
public final class KernelClearPagePath implements Path {
  private enum Pc {
    ALLOC_PAGES,
    WALK,
    CLEAR_PAGE,
    FOLIO_PUT,
    DONE
  }

  private final Tlb tlb;
  private final Topology topo;
  private final int directMap;
  private Pc pc;
  private int pfn;
  private long va;

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
  public boolean start(Ctx ctx) {
    pc = Pc.ALLOC_PAGES;
    ctx.send(topo.memoryRange(0), new MemoryProtocol.AllocPages(0, false));
    return false;
  }

  private boolean clear(Ctx ctx, boolean tlbHit) {
    pc = Pc.CLEAR_PAGE;
    ctx.send(topo.memoryFor(pfn), new MemoryProtocol.DirectMapStore(pfn, tlbHit));
    return false;
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    switch (pc) {
      case ALLOC_PAGES -> {
        if (r.value() < 0) {
          pc = Pc.DONE;
          return true;
        }
        pfn = (int) r.value();
        va = Addr.pageAddress(pfn);
        if (tlb.lookup(va) == pfn) return clear(ctx, true);
        pc = Pc.WALK;
        ctx.send(directMap, new DirectMapProtocol.LookupAddress(va));
        return false;
      }
      case WALK -> {
        if (r.value() < 0) {
          // #PF on a kernel address with no fixup: oops, the task is killed here.
          ctx.emit(new MmEvents.DirectMapFault(ctx.name(ctx.self()), pfn, "clear_page"));
          if (ctx.tracing()) ctx.note("#PF in clear_page(" + Addr.hexVa(va) + "): oops");
          pc = Pc.DONE;
          return true;
        }
        tlb.fill(va, (int) r.value());
        return clear(ctx, false);
      }
      case CLEAR_PAGE -> {
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
  public boolean inInstruction() {
    return pc == Pc.WALK || pc == Pc.CLEAR_PAGE;
  }

  @Override
  public boolean replyEndsInstruction(Ret r) {
    // The walk and the store of clear_page() are one access; a walk that faults ends it.
    return pc != Pc.WALK || r.value() < 0;
  }

  @Override
  public String where() {
    return pc + (pfn != 0 ? " " + hex(pfn) : "");
  }
}
