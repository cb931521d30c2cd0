package gmemsim.model;

import gmemsim.model.mm.Memory;
import gmemsim.model.mm.PageAllocator;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the machine a scenario describes: the memory ranges, then everything the declared
 * actors' programs need and the actors themselves ({@link gmemsim.model.program.ProgramBuilder}).
 * Called once per run, so every run starts from the same boot state.
 */
public final class MachineBuilder {
  /** First simulated frame: physical 4 GiB, so pfns look like a real host's. */
  public static final int BASE_PFN = 0x100000;

  private static final int PAGE_SIZE = 4096;

  private MachineBuilder() {}

  /** Checks what cannot be seen key by key (sizes that do not fit together). */
  public static void validate(Scenario s) {
    build(s);
  }

  public static Machine build(Scenario s) {
    s.reader("the machine");
    try {
      Machine m = buildMachine(s);
      s.markBuilt();
      return m;
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
    if (pages < maxBlock) {
      throw new ScenarioException(s.where(Knobs.MEMORY) + ": " + bytes + " bytes is less than one 4M block (MAX_PAGE_ORDER): at least 4M");
    }
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
    if (!s.programs(Knobs.ACTORS).declared()) {
      throw new ScenarioException(s.where(Knobs.ACTORS) + ": no actors: a scenario declares what runs as"
          + " actors = [ { name = ..., kind = ..., program = [ ... ] } ] (gmemsim list shows the kinds and operations)");
    }
    gmemsim.model.program.ProgramBuilder.build(s, comps, topo, pages);
    return new Machine(comps, topo, gmemsim.model.exec.KernelPrograms.of(s));
  }

  /** The direct map's leaf size at boot. */
  public static long directMapPageSize(Scenario s) {
    return switch (s.string(Knobs.DIRECT_MAP_PAGE_SIZE)) {
      case "1g" -> 1L << 30;
      case "2m" -> 1L << 21;
      default -> 4096;
    };
  }
}
