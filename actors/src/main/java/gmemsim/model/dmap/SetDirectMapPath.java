package gmemsim.model.dmap;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.Topology;
import gmemsim.model.cpu.TlbShootdown;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * set_direct_map_invalid_noflush(page) / set_direct_map_default_noflush(page) /
 * set_direct_map_valid_noflush(page, nr, valid) on x86, through __change_page_attr_set_clr()
 * (kernel-model §3), one leaf per step: change a 4K entry, or a large leaf the request covers
 * whole, each __change_page_attr() under cpa_lock (an explicit lock of the direct map); if a large
 * leaf covers only part of the request, drop cpa_lock, allocate a page-table page (may fail:
 * -ENOMEM, and the pages already changed stay changed: no rollback), take cpa_lock again, split
 * under pgd_lock (or free the page if another CPU split first), flush_tlb_all() while both locks
 * are held, and retry on the 4K path before cpa_lock is dropped. The final change is not flushed.
 */
public final class SetDirectMapPath implements Path {
  private enum Pc {
    CPA_LOCK,
    CPA,
    CPA_UNLOCK,
    SPLIT_UNLOCK,
    ALLOC_PGTABLE,
    SPLIT_RELOCK,
    SPLIT,
    FREE_PGTABLE,
    FLUSH_TLB_ALL,
    DONE
  }

  private final int first;
  private final int nr;
  private final boolean present;
  private int pfn;
  private final Topology topo;
  private final int directMap;
  private final TlbShootdown flushAll;
  private final PageHandoff result;
  private Pc pc;
  private int level;
  private int table;

  /** @param result receives 0 or the error (-ENOMEM) */
  public SetDirectMapPath(
      int pfn, boolean present, Topology topo, int directMap, int[] cpus, PageHandoff result) {
    this(pfn, 1, present, topo, directMap, cpus, result);
  }

  /** set_direct_map_valid_noflush(pfn, nr, present). */
  public SetDirectMapPath(
      int pfn, int nr, boolean present, Topology topo, int directMap, int[] cpus, PageHandoff result) {
    this.first = pfn;
    this.nr = nr;
    this.present = present;
    this.topo = topo;
    this.directMap = directMap;
    this.flushAll = new TlbShootdown(cpus);
    this.result = result;
  }

  @Override
  public String name() {
    if (nr > 1) return "set_direct_map_valid_noflush";
    return present ? "set_direct_map_default_noflush" : "set_direct_map_invalid_noflush";
  }

  /** 0 or the error, once the path is done. */
  public int result() {
    return result.result;
  }

  @Override
  public boolean start(Ctx ctx) {
    pfn = first;
    result.result = PageHandoff.PENDING;
    return lock(ctx, Pc.CPA_LOCK);
  }

  /** spin_lock(&cpa_lock) (no debug_pagealloc): around each __change_page_attr() call. */
  private boolean lock(Ctx ctx, Pc next) {
    pc = next;
    ctx.send(directMap, new DirectMapProtocol.CpaLock(true));
    return false;
  }

  private boolean unlock(Ctx ctx, Pc next) {
    pc = next;
    ctx.send(directMap, new DirectMapProtocol.CpaLock(false));
    return false;
  }

  private boolean cpa(Ctx ctx) {
    pc = Pc.CPA;
    ctx.send(directMap, new DirectMapProtocol.CpaSetPresent(pfn, first + nr - pfn, present));
    return false;
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    switch (pc) {
      case CPA_LOCK -> {
        return cpa(ctx);
      }
      case CPA -> {
        int v = (int) r.value();
        if (v == DirectMapProtocol.CPA_CHANGED || v == DirectMapProtocol.CPA_UNCHANGED) {
          pfn += (int) Math.max(1, r.ghost());
          return unlock(ctx, Pc.CPA_UNLOCK);
        }
        level = v == DirectMapProtocol.CPA_SPLIT_1G ? DirectMap.LEVEL_1G : DirectMap.LEVEL_2M;
        // split_large_page(): cpa_lock dropped while alloc_pages(GFP_KERNEL) may sleep.
        return unlock(ctx, Pc.SPLIT_UNLOCK);
      }
      case CPA_UNLOCK -> {
        if (pfn < first + nr) return lock(ctx, Pc.CPA_LOCK);
        result.result = 0;
        pc = Pc.DONE;
        return true;
      }
      case SPLIT_UNLOCK -> {
        pc = Pc.ALLOC_PGTABLE;
        ctx.send(topo.memoryRange(0), new MemoryProtocol.AllocPages(0, true));
        return false;
      }
      case ALLOC_PGTABLE -> {
        if (r.value() < 0) {
          if (ctx.tracing()) ctx.note(name() + "(" + hex(pfn) + ") returns -ENOMEM");
          result.result = Errno.ENOMEM;
          pc = Pc.DONE;
          return true;
        }
        table = (int) r.value();
        return lock(ctx, Pc.SPLIT_RELOCK);
      }
      case SPLIT_RELOCK -> {
        pc = Pc.SPLIT;
        ctx.send(directMap, new DirectMapProtocol.CpaSplitLargePage(pfn, level, table));
        return false;
      }
      case SPLIT -> {
        if (r.value() == 0) {
          pc = Pc.FREE_PGTABLE;
          ctx.send(topo.memoryFor(table), new MemoryProtocol.FolioPut(table, 1));
          return false;
        }
        // __split_large_page(): flush_tlb_all() before spin_unlock(&pgd_lock), with cpa_lock
        // still held, so no CPU changes attributes in the split range before every TLB lost the
        // large translation.
        pc = Pc.FLUSH_TLB_ALL;
        return flushAll.send(ctx, 0, 0, true) && cpa(ctx);
      }
      case FREE_PGTABLE -> {
        return cpa(ctx);
      }
      case FLUSH_TLB_ALL -> {
        return flushAll.ack() && cpa(ctx);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  @Override
  public String where() {
    return pc + " pfn " + hex(pfn);
  }
}
