package gmemsim.model.cpu;

import gmemsim.model.Ctx;
import gmemsim.model.Topology;
import gmemsim.model.dmap.Addr;
import gmemsim.model.dmap.DirectMapProtocol;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * What a speculative gadget or a wild kernel pointer does on this CPU: one load from the
 * direct-map address of a random page. A TLB hit loads at once; a miss walks the page tables
 * and, if the entry is present, fills the TLB and loads; a non-present entry gives nothing (a
 * speculative load does not fault and x86 caches no non-present translation).
 */
public final class SpeculativeReadPath implements Path {
  private enum Pc {
    WALK,
    LOAD,
    DONE
  }

  private final Tlb tlb;
  private final Topology topo;
  private final int directMap;
  private final int[] pool;
  private Pc pc;
  private long va;

  public SpeculativeReadPath(Tlb tlb, Topology topo, int directMap, int[] pool) {
    this.tlb = tlb;
    this.topo = topo;
    this.directMap = directMap;
    this.pool = pool;
  }

  @Override
  public String name() {
    return "speculative load";
  }

  @Override
  public boolean start(Ctx ctx) {
    int pfn = pool[ctx.rng().nextInt(pool.length)];
    va = Addr.pageAddress(pfn);
    int hit = tlb.lookup(va);
    if (hit >= 0) return load(ctx, hit, true);
    pc = Pc.WALK;
    ctx.send(directMap, new DirectMapProtocol.LookupAddress(va));
    return false;
  }

  private boolean load(Ctx ctx, int pfn, boolean tlbHit) {
    pc = Pc.LOAD;
    ctx.send(topo.memoryFor(pfn), new MemoryProtocol.DirectMapLoad(pfn, true, tlbHit));
    return false;
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    if (pc == Pc.WALK) {
      if (r.value() < 0) {
        if (ctx.tracing()) ctx.note("no translation: the speculative load gets nothing");
        pc = Pc.DONE;
        return true;
      }
      tlb.fill(va, (int) r.value());
      return load(ctx, (int) r.value(), false);
    }
    pc = Pc.DONE;
    return true;
  }

  @Override
  public boolean inInstruction() {
    return pc == Pc.WALK || pc == Pc.LOAD;
  }

  @Override
  public boolean replyEndsInstruction(Ret r) {
    // The walk, the TLB fill and the load are one instruction; it retires with the load, or
    // with a walk that found nothing.
    return pc != Pc.WALK || r.value() < 0;
  }

  @Override
  public String where() {
    return pc + " " + Addr.hexVa(va);
  }
}
