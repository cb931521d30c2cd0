package gmemsim.model;

import gmemsim.model.kvm.KvmTryGetPfnPath;
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

  private MachineBuilder() {}

  /** Checks what cannot be seen key by key (sizes that do not fit together). */
  public static void validate(Scenario s) {
    build(s);
  }

  public static Machine build(Scenario s) {
    long bytes = s.bytes(Knobs.MEMORY);
    int ranges = s.intValue(Knobs.MEMORY_RANGES);
    int order = s.intValue(Knobs.FOLIO_ORDER);
    int folios = s.intValue(Knobs.FOLIO_COUNT);
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

    // Boot: the owner allocates its folios before any path runs.
    String owner = "owner0";
    List<Integer> owned = new ArrayList<>();
    for (int i = 0; i < folios; i++) {
      Memory m = (Memory) comps.get(memIdx[i % ranges]);
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

    List<Path> ownerPaths = new ArrayList<>();
    int attempts = s.intValue(Knobs.SPLIT_ATTEMPTS);
    for (int i = 0; i < splits; i++) {
      ownerPaths.add(new SplitFolioPath(topo, owned.get(i), order, newOrder, attempts));
    }
    // Teardown: folio_put() on every folio the owner still holds (the heads, split or not).
    List<StepListPath.Step> puts = new ArrayList<>();
    for (int f : owned) puts.add(new StepListPath.Step(topo.memoryFor(f), new MemoryProtocol.FolioPut(f, 1)));
    ownerPaths.add(new StepListPath("folio_put", puts));
    comps.add(new HostThread(owner, ownerPaths));

    TryGetPfnVariant variant = TryGetPfnVariant.fromKnob(s.string(Knobs.KVM_TRY_GET_PFN));
    int writes = s.intValue(Knobs.GUEST_WRITES);
    for (int t = 0; t < s.intValue(Knobs.TAKERS); t++) {
      List<Path> ps = new ArrayList<>();
      for (int op = 0; op < s.intValue(Knobs.TAKER_OPS); op++) {
        ps.add(new KvmTryGetPfnPath(variant, topo, pfnPool, writes, VM));
      }
      comps.add(new HostThread("taker" + t, ps));
    }
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
}
