package gmemsim.runtime;

import gmemsim.model.Component;
import gmemsim.model.Machine;
import gmemsim.model.cpu.Cpu;
import gmemsim.model.dmap.Addr;
import gmemsim.model.dmap.DirectMap;
import gmemsim.model.mm.Memory;
import gmemsim.model.mm.StructPages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ghost measurement of one controlled run: after every delivery, is some page holding
 * guest-private data of no-direct-map memory readable through the direct map, by a present
 * page-table entry or by a TLB entry of some CPU? It reads every owner's state at once, which only
 * the controlled runtime can do (it holds the whole machine in one thread).
 */
public final class ExposureMeter {
  private final DirectMap dmap;
  private final List<Memory> memories = new ArrayList<>();
  private final List<Cpu> cpus = new ArrayList<>();
  private final Map<Integer, Long> perPage = new HashMap<>();
  private long exposedSteps;

  private ExposureMeter(DirectMap dmap) {
    this.dmap = dmap;
  }

  /**
   * A meter for machines with a direct map and memory meant to be out of it (a NO_DIRECT_MAP
   * guest_memfd, or the seed-001 hand-off's guest pages, which no file holds), else null: where no
   * such memory exists there is nothing to expose, and no line to print.
   */
  public static ExposureMeter forMachine(Machine m) {
    DirectMap d = null;
    boolean file = false;
    boolean noDirectMapFile = false;
    for (Component c : m.components()) {
      if (c instanceof DirectMap dm) d = dm;
      if (c instanceof gmemsim.model.gmem.GmemInode g) {
        file = true;
        noDirectMapFile |= (g.flags() & gmemsim.model.gmem.GmemInode.FLAG_NO_DIRECT_MAP) != 0;
      }
    }
    if (d == null || (file && !noDirectMapFile)) return null;
    ExposureMeter e = new ExposureMeter(d);
    for (Component c : m.components()) {
      if (c instanceof Memory mem) e.memories.add(mem);
      if (c instanceof Cpu cpu) e.cpus.add(cpu);
    }
    return e;
  }

  /** After one delivery. */
  public void tick() {
    boolean any = false;
    for (Memory m : memories) {
      StructPages p = m.pages();
      for (int k = 0; k < p.secretCount(); k++) {
        int pfn = p.secretPfn(k);
        if (readable(pfn)) {
          any = true;
          perPage.merge(pfn, 1L, Long::sum);
        }
      }
    }
    if (any) exposedSteps++;
  }

  private boolean readable(int pfn) {
    if (dmap.present(pfn)) return true;
    long va = Addr.pageAddress(pfn);
    for (Cpu c : cpus) if (c.tlb().lookup(va) == pfn) return true;
    return false;
  }

  /** Steps during which at least one such page was readable. */
  public long exposedSteps() {
    return exposedSteps;
  }

  /** The most steps any one page was readable. */
  public long maxPerPage() {
    long m = 0;
    for (long v : perPage.values()) m = Math.max(m, v);
    return m;
  }
}
