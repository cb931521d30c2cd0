package gmemsim.model.cpu;

import gmemsim.model.Ctx;
import gmemsim.model.Topology;
import gmemsim.model.dmap.Addr;
import gmemsim.model.dmap.DirectMapProtocol;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.MmEvents;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * A legitimate kernel store to one page through its direct-map address on this CPU:
 * clear_highpage() (x86-64 has no highmem, kmap_local_page() is page_address()), or the
 * copy_from_user() of write() into a kmap_local_page() mapping. A TLB hit stores at once; a miss
 * walks, fills the TLB and stores; a non-present entry is an oops (no exception-table fixup), and
 * the task dies there: {@link #oopsed()}.
 */
public final class DirectMapAccessPath implements Path {
  private enum Pc {
    WALK,
    STORE,
    DONE
  }

  private final String what;
  private final Tlb tlb;
  private final Topology topo;
  private final int directMap;
  private final int pfn;
  private final int data;
  private final boolean load;
  private Pc pc;
  private boolean oops;
  private int loaded;

  /** @param data the content tag the store leaves (PageTag.NONE for a clear) */
  public DirectMapAccessPath(String what, Tlb tlb, Topology topo, int directMap, int pfn, int data) {
    this(what, tlb, topo, directMap, pfn, data, false);
  }

  /** A legitimate kernel load of one page through its direct-map address (e.g. folio_copy()). */
  public static DirectMapAccessPath load(String what, Tlb tlb, Topology topo, int directMap, int pfn) {
    return new DirectMapAccessPath(what, tlb, topo, directMap, pfn, 0, true);
  }

  private DirectMapAccessPath(String what, Tlb tlb, Topology topo, int directMap, int pfn, int data, boolean load) {
    this.load = load;
    this.what = what;
    this.tlb = tlb;
    this.topo = topo;
    this.directMap = directMap;
    this.pfn = pfn;
    this.data = data;
  }

  @Override
  public String name() {
    return what;
  }

  public boolean oopsed() {
    return oops;
  }

  @Override
  public boolean start(Ctx ctx) {
    oops = false;
    long va = Addr.pageAddress(pfn);
    if (tlb.lookup(va) == pfn) return store(ctx, true);
    pc = Pc.WALK;
    ctx.send(directMap, new DirectMapProtocol.LookupAddress(va));
    return false;
  }

  /** The content tag a load returned. */
  public int loaded() {
    return loaded;
  }

  private boolean store(Ctx ctx, boolean hit) {
    pc = Pc.STORE;
    if (load) ctx.send(topo.memoryFor(pfn), new MemoryProtocol.DirectMapLoad(pfn, false, hit));
    else ctx.send(topo.memoryFor(pfn), new MemoryProtocol.DirectMapStore(pfn, hit, data));
    return false;
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    if (pc == Pc.WALK) {
      if (r.value() < 0) {
        ctx.emit(new MmEvents.DirectMapFault(ctx.name(ctx.self()), pfn, what));
        if (ctx.tracing()) ctx.note("#PF in " + what + "(" + Addr.hexVa(Addr.pageAddress(pfn)) + "): oops");
        oops = true;
        pc = Pc.DONE;
        return true;
      }
      tlb.fill(Addr.pageAddress(pfn), (int) r.value());
      return store(ctx, false);
    }
    if (load) loaded = (int) r.value();
    pc = Pc.DONE;
    return true;
  }

  @Override
  public boolean inInstruction() {
    return pc == Pc.WALK || pc == Pc.STORE;
  }

  @Override
  public boolean replyEndsInstruction(Ret r) {
    return pc != Pc.WALK || r.value() < 0;
  }

  @Override
  public String where() {
    return pc + " " + Addr.hexVa(Addr.pageAddress(pfn));
  }
}
