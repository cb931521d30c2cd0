package gmemsim.model;

import gmemsim.model.cpu.Cpu;
import gmemsim.model.cpu.GuestTlb;
import gmemsim.model.cpu.Tlb;
import gmemsim.model.kvm.Kvm;
import gmemsim.model.kvm.KvmBinding;
import gmemsim.model.kvm.KvmDesign;
import gmemsim.model.kvm.KvmMmuNotifier;
import gmemsim.model.kvm.KvmTryGetPfnPath;
import gmemsim.model.kvm.VmType;
import gmemsim.model.mm.MmuNotifier;
import gmemsim.model.mm.MunmapPath;
import gmemsim.model.mm.UserMm;
import gmemsim.model.kvm.TryGetPfnVariant;
import gmemsim.model.mm.KernelPageUserPath;
import gmemsim.model.mm.Memory;
import gmemsim.model.mm.PageAllocator;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.SplitFolioPath;
import gmemsim.model.thread.HostThread;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.StepListPath;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the machine a scenario describes: memory ranges, the folio owner (which also splits),
 * the KVM takers and the kernel page users, each with its paths. Called once per run, so every
 * run starts from the same boot state.
 */
public final class MachineBuilder {
  /** First simulated frame: physical 4 GiB, so pfns look like a real host's. */
  public static final int BASE_PFN = 0x100000;

  private static final int PAGE_SIZE = 4096;
  /** The VM the takers fault for. */
  private static final int VM = 1;
  /** Its memslot over the VMM's guest RAM starts at guest physical 2 GiB. */
  private static final long GUEST_RAM_GFN = 0x80000;

  private MachineBuilder() {}

  /** Checks what cannot be seen key by key (sizes that do not fit together). */
  public static void validate(Scenario s) {
    build(s);
  }

  public static Machine build(Scenario s) {
    s.reader("the machine");
    try {
      return buildMachine(s);
    } finally {
      s.reader(null);
    }
  }

  private static Machine buildMachine(Scenario s) {
    long bytes = s.bytes(Knobs.MEMORY);
    int ranges = s.intValue(Knobs.MEMORY_RANGES);
    if (bytes % PAGE_SIZE != 0 || bytes / PAGE_SIZE > (1 << 26)) {
      throw new ScenarioException(
          s.where(Knobs.MEMORY) + ": must be a whole number of 4 KiB pages, at most 256G");
    }
    int pages = (int) (bytes / PAGE_SIZE);
    int maxBlock = 1 << PageAllocator.MAX_PAGE_ORDER;
    if (pages % ranges != 0 || (pages / ranges) % maxBlock != 0) {
      throw new ScenarioException(
          s.where(Knobs.MEMORY_RANGES)
              + ": "
              + ranges
              + " ranges do not split "
              + pages
              + " pages into whole 4M blocks");
    }
    int perRange = pages / ranges;
    List<Component> comps = new ArrayList<>();
    int[] memIdx = new int[ranges];
    for (int r = 0; r < ranges; r++) {
      memIdx[r] = comps.size();
      comps.add(
          new Memory(
              "mem" + r, BASE_PFN + r * perRange, perRange, s.intValue(Knobs.PCP_HIGH),
              s.rate(Knobs.PGTABLE_ALLOC_FAIL)));
    }
    Topology topo = new Topology(BASE_PFN, perRange, memIdx);
    if (s.programs(Knobs.ACTORS).declared()) {
      gmemsim.model.program.ProgramBuilder.build(s, comps, topo, pages);
      return new Machine(comps, topo);
    }
    return buildLegacy(s, comps, topo, pages, ranges);
  }

  /** The direct map's leaf size at boot. */
  public static long directMapPageSize(Scenario s) {
    return DirectMapWorkload.pageSize(s);
  }

  /** The KVM design under test, from the kvm.*, tdx.* and gmem.* knobs that change KVM's paths. */
  public static KvmDesign kvmDesign(Scenario s) {
    return new KvmDesign(
        gmemsim.model.kvm.FaultRetryCheck.fromKnob(s.string(Knobs.KVM_FAULT_RETRY_CHECK)),
        s.string(Knobs.TDX_SPLIT_BEFORE_ZAP).equals("on"),
        s.string(Knobs.GMEM_INVALIDATE_RANGE).equals("exact"),
        s.string(Knobs.KVM_GET_PFN_INVALIDATE_LOCK).equals("on"),
        gmemsim.model.kvm.HugepageAdjust.fromKnob(s.string(Knobs.KVM_HUGEPAGE_ADJUST)),
        s.string(Knobs.TDX_ATTR_SPLIT_ERROR).equals("end-invalidation"),
        gmemsim.model.kvm.PunchHoleSplit.fromKnob(s.string(Knobs.TDX_PUNCH_HOLE_SPLIT)),
        s.string(Knobs.GMEM_ERROR_FOLIO).equals("trylock"));
  }

  /** The machine of the workload knobs (no {@code actors} list). */
  private static Machine buildLegacy(Scenario s, List<Component> comps, Topology topo, int pages, int ranges) {
    int order = s.intValue(Knobs.FOLIO_ORDER);
    int folios = s.intValue(Knobs.FOLIO_COUNT);
    int newOrder = s.intValue(Knobs.SPLIT_NEW_ORDER);
    int splits = s.intValue(Knobs.SPLIT_FOLIOS);
    if (splits > 0 && newOrder >= order) {
      throw new ScenarioException(
          s.where(Knobs.SPLIT_NEW_ORDER) + ": " + newOrder + " is not below folio.order " + order);
    }
    if (splits > folios) {
      throw new ScenarioException(
          s.where(Knobs.SPLIT_FOLIOS) + ": " + splits + " is more than folio.count " + folios);
    }
    // Boot: the owner allocates its folios before any path runs.
    String owner = "owner0";
    List<Integer> owned = new ArrayList<>();
    for (int i = 0; i < folios; i++) {
      Memory m = (Memory) comps.get(topo.memoryRange(i % ranges));
      int head = m.allocator().allocPages(order, owner);
      if (head < 0) {
        throw new ScenarioException(
            s.where(Knobs.FOLIO_COUNT)
                + ": "
                + folios
                + " folios of order "
                + order
                + " do not fit in machine.memory ("
                + pages
                + " pages in "
                + ranges
                + " ranges)");
      }
      owned.add(head);
    }
    int[] pfnPool = new int[folios << order];
    for (int i = 0; i < folios; i++) {
      for (int k = 0; k < (1 << order); k++) pfnPool[(i << order) + k] = owned.get(i) + k;
    }

    int takers = s.intValue(Knobs.TAKERS);
    List<Path> ownerPaths = new ArrayList<>();
    if (takers > 0 || splits > 0) {
      if (KvmWorkload.wanted(s) || GmemWorkload.wanted(s)) {
        throw new ScenarioException(
            s.where(Knobs.TAKERS) + ": the takers and the splitter (anonymous guest RAM) exclude a guest_memfd workload");
      }
      addAnonGuestRam(s, comps, topo, owned, pfnPool, order, newOrder, splits, ownerPaths);
    }
    // Teardown: folio_put() of the reference the owner took on each folio (reclaim's isolation
    // reference in the anonymous case; the allocation's otherwise).
    List<StepListPath.Step> puts = new ArrayList<>();
    for (int f : owned) puts.add(new StepListPath.Step(topo.memoryFor(f), new MemoryProtocol.FolioPut(f, 1)));
    ownerPaths.add(new StepListPath("folio_put", puts));
    comps.add(new HostThread(owner, ownerPaths));

    for (int u = 0; u < s.intValue(Knobs.REUSERS); u++) {
      List<Path> ps = new ArrayList<>();
      for (int op = 0; op < s.intValue(Knobs.REUSE_OPS); op++) {
        ps.add(new KernelPageUserPath(topo, u % ranges));
      }
      comps.add(new HostThread("reuser" + u, ps));
    }
    if (KvmWorkload.wanted(s)) KvmWorkload.add(s, comps, topo, pages);
    else if (GmemWorkload.wanted(s)) GmemWorkload.add(s, comps, topo, pages);
    else DirectMapWorkload.add(s, comps, topo, pages);
    return new Machine(comps, topo);
  }

  /**
   * The VMM's guest RAM as anonymous memory (seed 004 made upstream-reachable): the owner's folios
   * are PTE-mapped THPs of the VMM's mm ("mm0"), one VMA page per pfn of the pool; a VM ("kvm0")
   * has one memslot over that VMA, with KVM's mmu_notifier on the mm. The owner stands for reclaim
   * or migration: it holds the isolation reference and splits {@code workload.split-folios} of the
   * folios, then the VMM unmaps its guest RAM. Each taker is a vCPU thread that faults random pages
   * in through gup-fast and writes them.
   */
  private static void addAnonGuestRam(Scenario s, List<Component> comps, Topology topo, List<Integer> owned,
      int[] pfnPool, int order, int newOrder, int splits, List<Path> ownerPaths) {
    String mmHolder = "mm0";
    for (int f : owned) {
      Memory m = (Memory) comps.get(topo.memoryFor(f));
      m.pages().bootMapAnonPtes(f, mmHolder);
    }
    int mm = comps.size();
    comps.add(new UserMm(mmHolder, pfnPool));
    int kvm = comps.size();
    comps.add(new Kvm("kvm0", VM, VmType.SW_PROTECTED, GUEST_RAM_GFN, pfnPool.length, 0, false));
    // The takers are vCPUs: kvm_flush_remote_tlbs() waits for each to finish its instruction.
    int takers = s.intValue(Knobs.TAKERS);
    int[] vcpus = new int[takers];
    for (int t = 0; t < takers; t++) vcpus[t] = kvm + 1 + t;
    KvmBinding b = new KvmBinding(kvm, VM, VmType.SW_PROTECTED, GUEST_RAM_GFN, vcpus, KvmDesign.mainline());
    MmuNotifier notifier = new KvmMmuNotifier(b);
    TryGetPfnVariant variant = TryGetPfnVariant.fromKnob(s.string(Knobs.KVM_TRY_GET_PFN));
    int writes = s.intValue(Knobs.GUEST_WRITES);
    for (int t = 0; t < takers; t++) {
      List<Path> ps = new ArrayList<>();
      for (int op = 0; op < s.intValue(Knobs.TAKER_OPS); op++) {
        ps.add(new KvmTryGetPfnPath(variant, topo, mm, b, pfnPool.length, writes,
            s.string(Knobs.TAKER_ACCESS).equals("vcpu-map")));
      }
      comps.add(new Cpu("taker" + t, new Tlb(s.intValue(Knobs.TLB_ENTRIES)), new GuestTlb(), ps));
    }
    int attempts = s.intValue(Knobs.SPLIT_ATTEMPTS);
    for (int i = 0; i < splits; i++) {
      SplitFolioPath.AnonMapping anon = new SplitFolioPath.AnonMapping(mm, mmHolder, i << order, notifier);
      ownerPaths.add(new SplitFolioPath(topo, owned.get(i), order, newOrder, attempts, anon));
    }
    ownerPaths.add(new MunmapPath(topo, mm, mmHolder, pfnPool, notifier));
  }
}
