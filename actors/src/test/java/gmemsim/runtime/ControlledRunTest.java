package gmemsim.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.Component;
import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.model.Topology;
import gmemsim.model.mm.Memory;
import gmemsim.model.thread.HostThread;
import gmemsim.oracle.Oracles;
import gmemsim.runtime.controlled.ControlledRun;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlledRunTest {
  static final Path SCENARIO = Path.of("..", "scenarios", "split-vs-tryget.conf");

  static Scenario scenario(String... sets) {
    return new ScenarioLoader(Oracles.names()).load(SCENARIO, List.of(sets));
  }

  @Test
  void sameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
    Scenario s = scenario();
    RunResult a = Hunt.runOnce(s, 42, new RandomStrategy(), 1_000_000, null);
    RunResult b = Hunt.runOnce(s, 42, new RandomStrategy(), 1_000_000, null);
    RunResult c = Hunt.runOnce(s, 43, new RandomStrategy(), 1_000_000, null);
    assertArrayEquals(a.schedule(), b.schedule());
    assertFalse(java.util.Arrays.equals(a.schedule(), c.schedule()));
  }

  @Test
  void aRecordedScheduleReplaysToTheSameViolations() {
    Scenario s = scenario();
    Hunt.Options o = new Hunt.Options(1, "pct", 4, gmemsim.scenario.Budget.parse("3000runs"), 1_000_000);
    HuntResult h = Hunt.run(s, o, null);
    Finding f = h.findings().get("refcount-error");
    RunResult again = Hunt.runOnce(s, f.firstRunSeed(), new ReplayStrategy(f.schedule()), 1_000_000, null);
    assertEquals(f.first(), again.violations().get(0));
    // The strategy alone (same run seed, same k) gives the very same run.
    RunResult bySeed = Hunt.runOnce(s, f.firstRunSeed(), new PctStrategy(4, h.pctK()), 1_000_000, null);
    assertArrayEquals(f.schedule(), bySeed.schedule());
  }

  @Test
  void aScheduleFromAnotherModelDivergesLoudly() {
    Scenario s = scenario();
    RunResult a = Hunt.runOnce(s, 5, new RandomStrategy(), 1_000_000, null);
    long[] bad = a.schedule().clone();
    bad[10] = Envelope.id(0, 999_999);
    assertThrows(
        ReplayStrategy.ScheduleDivergence.class,
        () -> Hunt.runOnce(s, 5, new ReplayStrategy(bad), 1_000_000, null));
  }

  @Test
  void everyStepIsADeliveryToAStateOwnerNeverToAThread() {
    Scenario s = scenario();
    Machine m = MachineBuilder.build(s);
    List<Integer> receivers = new ArrayList<>();
    new ControlledRun(
            m,
            3,
            Oracles.create(),
            new DeliveryListener() {
              @Override
              public void onDelivery(long step, Envelope e, List<String> n, List<gmemsim.oracle.Violation> f) {
                receivers.add(e.to());
              }

              @Override
              public void onEnd(long steps, List<gmemsim.oracle.Violation> fired) {}
            })
        .execute(new RandomStrategy(), 1_000_000);
    assertFalse(receivers.isEmpty());
    for (int r : receivers) assertFalse(m.components().get(r).isThread());
  }

  /** The built-in kernel source and a caller that returns split_folio()'s result (the reclaimer returns none). */
  private static final gmemsim.lang.Program SPLIT = gmemsim.lang.Compiler.compile(List.of(
      new gmemsim.lang.Compiler.Layer("built in", gmemsim.model.exec.KernelSources.get().builtIn()),
      new gmemsim.lang.Compiler.Layer("test", List.of(new gmemsim.lang.SourceFile("test.c", gmemsim.lang.SourceFile.Origin.BUILT_IN,
          "int split_locked(struct folio *folio, struct mm_struct *mm)\n{\n\tint ret;\n\n\tfolio_lock(folio);\n"
              + "\tret = split_folio(folio, NULL, mm, 0);\n\tfolio_unlock(folio);\n\treturn ret;\n}\n")))),
      gmemsim.model.exec.KernelExterns.INSTANCE);

  /** Splits one order-9 anonymous folio the owner holds one reference on; mapped: PTE-mapped by mm0, which no MMU notifier watches. */
  private static RunResult splitAnon(Memory mem, int h, boolean mapped, gmemsim.model.exec.SourcePath[] out) {
    Topology topo = new Topology(MachineBuilder.BASE_PFN, 1024, new int[] {0});
    int[] pfns = new int[512];
    for (int k = 0; k < 512; k++) pfns[k] = h + k;
    gmemsim.model.mm.UserMm mm = new gmemsim.model.mm.UserMm("mm0", pfns);
    if (mapped) mem.pages().bootMapAnonPtes(h, "mm0");
    else mem.pages().folioSetFlag(h, gmemsim.model.mm.StructPages.PG_ANON, true);
    List<Component> comps = new java.util.ArrayList<>(List.of(mem, mm));
    gmemsim.model.exec.KernelEnv env = new gmemsim.model.exec.KernelEnv(SPLIT, topo, comps);
    env.field(1, "mm_struct", "mmu_notifier_kvm", 0);
    out[0] = new gmemsim.model.exec.SourcePath(env, "split_locked", h, gmemsim.model.prim.Handles.of(1));
    comps.add(new HostThread("owner0", List.of(out[0])));
    return new ControlledRun(new Machine(comps, topo), 1, Oracles.create(), null).execute(new RandomStrategy(), 100_000);
  }

  @Test
  void folioSplitOfAnUnmappedAnonymousFolioIsEbusy() {
    Memory mem = new Memory("mem0", MachineBuilder.BASE_PFN, 1024, 0);
    int h = mem.allocator().allocPages(9, "owner0");
    gmemsim.model.exec.SourcePath[] p = new gmemsim.model.exec.SourcePath[1];
    RunResult r = splitAnon(mem, h, false, p);
    // __folio_split(): folio_get_anon_vma() finds the folio unmapped and returns NULL: -EBUSY,
    // and nothing about the folio changed.
    assertEquals(gmemsim.model.Errno.EBUSY, p[0].intResult());
    assertEquals(9, mem.pages().folioOrder(h));
    assertEquals(h, mem.pages().pageFolio(h + 7));
    assertFalse(mem.pages().isLocked(h));
    // folio_lock, folio_order, folio_get_anon_vma, folio_unlock.
    assertEquals(4, r.steps());
  }

  @Test
  void splitOfAPteMappedThpUnmapsFreezesSplitsAndRemapsTheSamePfns() {
    Memory mem = new Memory("mem0", MachineBuilder.BASE_PFN, 1024, 0);
    int h = mem.allocator().allocPages(9, "owner0");
    int freeBefore = mem.allocator().freePages();
    gmemsim.model.exec.SourcePath[] p = new gmemsim.model.exec.SourcePath[1];
    RunResult r = splitAnon(mem, h, true, p);
    assertEquals(0, p[0].intResult());
    assertEquals(freeBefore, mem.allocator().freePages(), "every page is still mapped: nothing is freed");
    assertEquals(0, mem.pages().folioOrder(h));
    assertEquals(2, mem.pages().refcount(h), "its PTE's reference and the caller's");
    assertEquals(1, mem.pages().folioMapcount(h));
    for (int k = 1; k < 512; k++) {
      assertEquals(h + k, mem.pages().pageFolio(h + k));
      assertEquals(1, mem.pages().refcount(h + k));
      assertEquals(1, mem.pages().folioMapcount(h + k));
    }
    assertFalse(mem.pages().isLocked(h));
    // Only the caller's reference on the head is left over: the leak check sees exactly it.
    assertEquals(1, r.violations().size(), r.violations().toString());
    assertTrue(r.violations().get(0).message().contains("order 0"));
    // folio_lock, folio_order, get_anon_vma, down_write(anon_vma), can_split, migration entries,
    // rmap+put, freeze, 511 clears, set_order, 511 unfreezes + the original, 512 x (rmap+get, PTEs),
    // 511 x (unlock, put), up_write(anon_vma), unlock of the original.
    assertEquals(8 + 511 + 1 + 512 + 2 * 512 + 2 * 511 + 2, r.steps());
  }

  /** Reads mmu_invalidate_seq as a retrying fault does, forever: a spin nothing can end. */
  private static final gmemsim.lang.Program SPIN = gmemsim.lang.Compiler.compile(List.of(
      new gmemsim.lang.Compiler.Layer("built in", gmemsim.model.exec.KernelSources.get().builtIn()),
      new gmemsim.lang.Compiler.Layer("test", List.of(new gmemsim.lang.SourceFile("test.c", gmemsim.lang.SourceFile.Origin.BUILT_IN,
          "void spin(struct kvm *kvm)\n{\n\tfor (;;) {\n\t\tcpu_relax();\n\t\tmmu_invalidate_seq(kvm);\n\t}\n}\n")))),
      gmemsim.model.exec.KernelExterns.INSTANCE);

  @Test
  void aRunWhereOnlyASpinnerHasWorkStopsAsALivelock() {
    Topology topo = new Topology(MachineBuilder.BASE_PFN, 1024, new int[] {0});
    List<Component> comps = new ArrayList<>(List.of(
        new gmemsim.model.kvm.Kvm("kvm0", 1, gmemsim.model.kvm.VmType.SW_PROTECTED, 0x80000, 512, 0)));
    gmemsim.model.exec.KernelEnv env = new gmemsim.model.exec.KernelEnv(SPIN, topo, comps);
    comps.add(new HostThread("vcpu0", List.of(new gmemsim.model.exec.SourcePath(env, "spin", gmemsim.model.prim.Handles.of(0)))));
    RunResult r = new ControlledRun(new Machine(comps, topo), 1, Oracles.create(), null).execute(new RandomStrategy(), 1_000_000);
    assertEquals(1, r.violations().size(), r.violations().toString());
    assertEquals("livelock", r.violations().get(0).oracle());
    assertTrue(r.violations().get(0).message().contains("vcpu0: spin at spin (test.c:5)"), r.violations().get(0).message());
    assertTrue(r.steps() < 1_000, "stopped long before the step limit: " + r.steps());
    assertFalse(r.truncated(), "a livelock is not a run cut at its step limit");
  }

  @Test
  void pctRunsTheHighestLaneAndChangePointsReorder() {
    PctStrategy p = new PctStrategy(1, 10);
    p.beginRun(9, 3);
    List<Envelope> pool = List.of(env(0, 1), env(1, 2), env(2, 3));
    int first = p.pick(pool, 0);
    for (int step = 1; step < 5; step++) assertEquals(first, p.pick(pool, step), "no change point at d=1");
    // With d=2 there is one change point; over many seeds both lanes get to run first after it.
    java.util.Set<Integer> after = new java.util.HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      PctStrategy q = new PctStrategy(2, 4);
      q.beginRun(seed, 2);
      List<Envelope> two = List.of(env(0, 1), env(1, 2));
      for (int step = 0; step < 4; step++) q.pick(two, step);
      after.add(q.pick(two, 4));
    }
    assertEquals(2, after.size());
  }

  private static Envelope env(int lane, int seq) {
    return new Envelope(Envelope.id(lane, seq), lane, 9, lane, new gmemsim.model.thread.ThreadProtocol.Ret(0, 0));
  }

  @Test
  void seedsDeriveDeterministically() {
    assertEquals(Seeds.runSeed(1, 7), Seeds.runSeed(1, 7));
    assertFalse(Seeds.runSeed(1, 7) == Seeds.runSeed(2, 7));
    assertEquals(Map.of(), Map.of());
  }
}
