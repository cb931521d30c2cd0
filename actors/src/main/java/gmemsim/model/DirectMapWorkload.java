package gmemsim.model;

import gmemsim.model.cpu.Cpu;
import gmemsim.model.cpu.FlushTlbKernelRangePath;
import gmemsim.model.cpu.Tlb;
import gmemsim.model.dmap.Addr;
import gmemsim.model.dmap.DirectMap;
import gmemsim.model.dmap.GuestPrivatePagePath;
import gmemsim.model.dmap.PageHandoff;
import gmemsim.model.dmap.PublishPath;
import gmemsim.model.dmap.SetDirectMapPath;
import gmemsim.model.mm.Memory;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.HostThread;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.StepListPath;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;

/**
 * The direct-map part of a machine (kernel-model §3, §4, race 5), built when the workload uses
 * it: the direct-map page tables, one CPU per {@code machine.cpus} with its TLB and speculative
 * loads, a zapper thread that takes guest pages out of the direct map and hands them to a vCPU,
 * and the vCPU that writes private data into them, scrubs them, restores their entry and frees
 * them (the free_folio() of the page).
 */
final class DirectMapWorkload {
  private static final int VM = 1;

  private DirectMapWorkload() {}

  /** The direct map's leaf size at boot. */
  static long pageSize(Scenario s) {
    return switch (s.string(Knobs.DIRECT_MAP_PAGE_SIZE)) {
      case "1g" -> 1L << 30;
      case "2m" -> 1L << 21;
      default -> 4096;
    };
  }

  static void add(Scenario s, List<Component> comps, Topology topo, int pages) {
    int zaps = s.intValue(Knobs.ZAPS);
    int reads = s.intValue(Knobs.SPEC_READS);
    int allocs = s.intValue(Knobs.KERNEL_ALLOCS);
    if (zaps == 0 && reads == 0 && allocs == 0) return;
    long pageSize = pageSize(s);
    int dmap = comps.size();
    comps.add(new DirectMap("dmap", MachineBuilder.BASE_PFN, pages, pageSize));

    // Guest memory of a no-direct-map guest_memfd: order-0 pages the vCPU holds.
    Memory mem = (Memory) comps.get(topo.memoryRange(0));
    String guest = "vcpu0";
    int[] gmem = new int[zaps];
    for (int i = 0; i < zaps; i++) {
      gmem[i] = mem.allocator().allocPages(0, guest);
      if (gmem[i] < 0) {
        throw new gmemsim.scenario.ScenarioException(
            s.where(Knobs.ZAPS) + ": " + zaps + " guest pages do not fit in machine.memory");
      }
    }
    // Loads go to the guest pages and as many other pages (the first of the range).
    int[] pool = new int[Math.max(1, 2 * zaps)];
    for (int i = 0; i < pool.length; i++) pool[i] = i < zaps ? gmem[i] : MachineBuilder.BASE_PFN + i;

    int ncpu = s.intValue(Knobs.CPUS);
    int[] cpus = new int[ncpu];
    for (int c = 0; c < ncpu; c++) {
      cpus[c] = comps.size();
      Tlb tlb = new Tlb(s.intValue(Knobs.TLB_ENTRIES));
      comps.add(new Cpu("cpu" + c, tlb, GmemWorkload.interleave(List.of(), reads, allocs, tlb, topo, dmap, pool)));
    }
    if (zaps == 0) return;

    int vcpu = comps.size() + 1;
    List<Path> zapper = new ArrayList<>();
    List<Path> vm = new ArrayList<>();
    String flush = s.string(Knobs.DIRECT_MAP_FLUSH);
    boolean ignoreError = s.string(Knobs.ZAP_ERROR).equals("ignore");
    boolean restore = s.string(Knobs.RESTORE_ON_FREE).equals("restore");
    for (int pfn : gmem) {
      PageHandoff h = new PageHandoff();
      long va = Addr.pageAddress(pfn);
      zapper.add(new SetDirectMapPath(pfn, false, topo, dmap, cpus, h));
      if (flush.equals("before-publish")) zapper.add(new FlushTlbKernelRangePath(cpus, va, va + 4096));
      zapper.add(new PublishPath(vcpu, pfn, h, ignoreError));
      if (flush.equals("after-publish")) zapper.add(new FlushTlbKernelRangePath(cpus, va, va + 4096));

      vm.add(new GuestPrivatePagePath(topo, VM, mem.pages().gen(pfn)));
      if (restore) vm.add(new SetDirectMapPath(pfn, true, topo, dmap, cpus, new PageHandoff()));
      vm.add(
          new StepListPath(
              "folio_put", List.of(new StepListPath.Step(topo.memoryFor(pfn), new MemoryProtocol.FolioPut(pfn, 1)))));
    }
    comps.add(new HostThread("zapper0", zapper));
    comps.add(new HostThread(guest, vm));
  }
}
