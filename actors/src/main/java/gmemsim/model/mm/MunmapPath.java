package gmemsim.model.mm;

import gmemsim.model.Ctx;
import gmemsim.model.Topology;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * munmap() of the VMM's guest RAM (mm/memory.c unmap_vmas() -> zap_pte_range(), mm/mmu_gather.c):
 * mmu_notifier_invalidate_range_start(), the PTEs cleared under the page-table lock, after the TLB
 * flush each page's rmap and the mapping's reference dropped per memory range (the put that reaches
 * 0 frees the folio), mmu_notifier_invalidate_range_end().
 */
public final class MunmapPath extends PcPath<MunmapPath.Pc> {
  enum Pc {
    NOTIFY_START,
    ZAP_PTES,
    RMAP_PUT,
    NOTIFY_END,
    DONE
  }

  private final Topology topo;
  private final int mm;
  private final String holder;
  private final int[] pfns;
  private final MmuNotifier notifier;
  private int next;

  /** @param pfns the pfn each VMA page maps, in page order (contiguous runs share a request) */
  public MunmapPath(Topology topo, int mm, String holder, int[] pfns, MmuNotifier notifier) {
    this.topo = topo;
    this.mm = mm;
    this.holder = holder;
    this.pfns = pfns.clone();
    this.notifier = notifier;
  }

  @Override
  public String name() {
    return "munmap";
  }

  @Override
  protected boolean begin(Ctx ctx) {
    return callAt(ctx, Pc.NOTIFY_START, notifier.invalidateRangeStart(0, pfns.length));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case NOTIFY_START -> {
        return request(ctx, Pc.ZAP_PTES, mm, new UserMmProtocol.ZapPteRange(0, pfns.length));
      }
      case ZAP_PTES, RMAP_PUT -> {
        if (pc == Pc.ZAP_PTES) next = 0;
        if (next >= pfns.length) return callAt(ctx, Pc.NOTIFY_END, notifier.invalidateRangeEnd(0, pfns.length));
        int from = next;
        int mem = topo.memoryFor(pfns[from]);
        while (next < pfns.length && pfns[next] == pfns[from] + (next - from) && topo.memoryFor(pfns[next]) == mem) next++;
        return request(ctx, Pc.RMAP_PUT, mem, new MemoryProtocol.ZapPteRmap(pfns[from], next - from, holder));
      }
      case NOTIFY_END -> {
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  @Override
  protected String here() {
    return pc.toString();
  }
}
