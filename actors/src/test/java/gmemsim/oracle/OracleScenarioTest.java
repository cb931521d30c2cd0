package gmemsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.Component;
import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.model.Topology;
import gmemsim.model.mm.Memory;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.HostThread;
import gmemsim.model.thread.StepListPath;
import gmemsim.model.thread.StepListPath.Step;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.RandomStrategy;
import gmemsim.runtime.RunResult;
import gmemsim.runtime.controlled.ControlledRun;
import gmemsim.scenario.Budget;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each oracle fires on a known-bad design and stays silent on the fixed one. The bad and fixed
 * designs differ only in a knob (a set of kernel source files), a patch file or the steps of a
 * test path, never in the oracle. split-vs-tryget's own patch is dropped here so the knob decides.
 */
class OracleScenarioTest {
  private static final Path SCENARIO = Path.of("..", "scenarios", "split-vs-tryget.conf");

  private static Set<String> hunt(String variant, String runs) {
    var s =
        new ScenarioLoader(Oracles.names())
            .load(SCENARIO, List.of("kernel.patch=[]", "kvm.try-get-pfn=" + variant));
    HuntResult r = Hunt.run(s, new Hunt.Options(1, "pct", 4, Budget.parse(runs), 1_000_000), null);
    return r.findings().keySet();
  }

  @Test
  void theRfcsGetOnAnUpstreamSplitTripsRefcountError() {
    // The put of kvm_release_faultin_page() lands on the split-off page, and the reference on the
    // old head is left over. KVM never touches the page under its reference and the EPT is kept
    // right by mmu_notifier invalidation, so neither wrong-folio-ref nor use-after-free fires.
    assertEquals(Set.of(RefcountErrorOracle.NAME), hunt("folio-try-get", "4000runs"));
  }

  @Test
  void gupsRecheckIsCleanOver20000Runs() {
    assertEquals(Set.of(), hunt("folio-try-get-recheck", "20000runs"));
  }

  @Test
  void freeAndReuseUnderGupFastIsCaughtByThePteRecheckEvenWithoutTheFolioRecheck() {
    var s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", "unmap-vs-tryget.conf"), List.of());
    HuntResult r = Hunt.run(s, new Hunt.Options(1, "pct", 4, Budget.parse("20000runs"), 1_000_000), null);
    assertEquals(Set.of(), r.findings().keySet());
    var s2 = new ScenarioLoader(Oracles.names())
        .load(Path.of("..", "scenarios", "unmap-vs-tryget.conf"), List.of("kvm.try-get-pfn=folio-try-get-recheck"));
    assertEquals(Set.of(), Hunt.run(s2, new Hunt.Options(1, "pct", 4, Budget.parse("5000runs"), 1_000_000), null).findings().keySet());
  }

  @Test
  void getPageUnlessZeroIsCleanToo() {
    assertEquals(Set.of(), hunt("get-page-unless-zero", "2000runs"));
  }

  private static final Path DIRECT_MAP = Path.of("..", "scenarios", "direct-map-stale-tlb.conf");

  private static Set<String> huntDirectMap(String flush) {
    var s = new ScenarioLoader(Oracles.names()).load(DIRECT_MAP, List.of("direct-map.flush=" + flush));
    return Hunt.run(s, new Hunt.Options(1, "pct", 3, Budget.parse("20000runs"), 1_000_000), null)
        .findings().keySet();
  }

  @Test
  void directMapLeakFiresWhenTheFlushComesLateOrNeverAndNotWhenItComesFirst() {
    assertEquals(Set.of(DirectMapLeakOracle.NAME), huntDirectMap("after-publish"));
    assertEquals(Set.of(DirectMapLeakOracle.NAME), huntDirectMap("none"));
    assertEquals(Set.of(), huntDirectMap("before-publish"));
  }

  private static Set<String> huntScenario(String scenario, String... sets) {
    var s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", scenario), List.of(sets));
    return Hunt.run(s, new Hunt.Options(1, "pct", 3, Budget.parse("5000runs"), 1_000_000), null)
        .findings().keySet();
  }

  @Test
  void directMapFaultFiresWhenFreeSkipsTheRestoreAndNotWhenItRestores() {
    assertEquals(
        Set.of(DirectMapFaultOracle.NAME, RefcountErrorOracle.NAME),
        huntScenario("direct-map-free-without-restore.conf"));
    assertEquals(Set.of(), huntScenario("direct-map-free-without-restore.conf", "direct-map.restore-on-free=restore"));
  }

  @Test
  void anIgnoredZapErrorLeaksAndAPropagatedOneDoesNot() {
    assertEquals(Set.of(DirectMapLeakOracle.NAME), huntScenario("direct-map-zap-enomem.conf"));
    assertEquals(Set.of(), huntScenario("direct-map-zap-enomem.conf", "direct-map.zap-error=propagate"));
  }

  // ---- oracles the race scenario cannot reach, on hand-written paths ----------------------------

  /** Union of what fired over 20 random schedules. */
  private static Set<String> runScript(List<List<Step>> threads, int allocOrder) {
    Set<String> all = new java.util.HashSet<>();
    for (long seed = 0; seed < 20; seed++) all.addAll(runScript(threads, allocOrder, seed));
    return all;
  }

  private static Set<String> runScript(List<List<Step>> threads, int allocOrder, long seed) {
    int base = MachineBuilder.BASE_PFN;
    Memory mem = new Memory("mem0", base, 1024, 0);
    int h = mem.allocator().allocPages(allocOrder, "t0");
    Topology topo = new Topology(base, 1024, new int[] {0});
    List<Component> comps = new java.util.ArrayList<>(List.of(mem));
    for (int i = 0; i < threads.size(); i++) {
      List<Step> steps =
          threads.get(i).stream()
              .map(st -> new Step(st.to(), retarget(st.msg(), h)))
              .toList();
      comps.add(new HostThread("t" + i, List.of(new StepListPath("script", steps))));
    }
    RunResult r =
        new ControlledRun(new Machine(comps, topo), seed, Oracles.create(), null)
            .execute(new RandomStrategy(), 10_000);
    return r.violations().stream().map(Violation::oracle).collect(Collectors.toSet());
  }

  /** Scripts name the allocated folio as pfn 0; place it. */
  private static gmemsim.model.Msg retarget(gmemsim.model.Msg m, int h) {
    if (m instanceof MemoryProtocol.FolioLock l) return new MemoryProtocol.FolioLock(h + l.folio());
    if (m instanceof MemoryProtocol.FolioUnlock l) return new MemoryProtocol.FolioUnlock(h + l.folio());
    if (m instanceof MemoryProtocol.FolioRefFreeze f) return new MemoryProtocol.FolioRefFreeze(h + f.folio(), f.count());
    if (m instanceof MemoryProtocol.FolioRefUnfreeze f) return new MemoryProtocol.FolioRefUnfreeze(h + f.folio(), f.count());
    if (m instanceof MemoryProtocol.FolioPut p) return new MemoryProtocol.FolioPut(h + p.folio(), p.nr());
    throw new IllegalArgumentException(m.toString());
  }

  @Test
  void deadlockFiresWhenALockIsNeverReleasedAndNotWhenItIs() {
    List<Step> leaks = List.of(new Step(0, new MemoryProtocol.FolioLock(0)));
    List<Step> balanced =
        List.of(new Step(0, new MemoryProtocol.FolioLock(0)), new Step(0, new MemoryProtocol.FolioUnlock(0)));
    List<Step> waiter =
        List.of(
            new Step(0, new MemoryProtocol.FolioLock(0)),
            new Step(0, new MemoryProtocol.FolioUnlock(0)),
            new Step(0, new MemoryProtocol.FolioPut(0, 1)));
    // t0 owns the page's reference, so the waiter that finally puts it is t0.
    assertTrue(runScript(List.of(waiter, leaks), 0).contains(DeadlockOracle.NAME));
    assertEquals(Set.of(), runScript(List.of(waiter, balanced), 0));
  }

  @Test
  void refcountErrorFiresOnAnUnfreezeToAGuessedCount() {
    List<Step> wrong =
        List.of(
            new Step(0, new MemoryProtocol.FolioRefFreeze(0, 1)),
            new Step(0, new MemoryProtocol.FolioRefUnfreeze(0, 2)),
            new Step(0, new MemoryProtocol.FolioPut(0, 1)));
    List<Step> right =
        List.of(
            new Step(0, new MemoryProtocol.FolioRefFreeze(0, 1)),
            new Step(0, new MemoryProtocol.FolioRefUnfreeze(0, 1)),
            new Step(0, new MemoryProtocol.FolioPut(0, 1)));
    assertEquals(Set.of(RefcountErrorOracle.NAME), runScript(List.of(wrong), 2));
    assertEquals(Set.of(), runScript(List.of(right), 2));
  }

  @Test
  void refcountErrorFiresOnADoublePutAndLeftoversButNotOnOnePut() {
    List<Step> twice =
        List.of(new Step(0, new MemoryProtocol.FolioPut(0, 1)), new Step(0, new MemoryProtocol.FolioPut(0, 1)));
    List<Step> none = List.of();
    List<Step> once = List.of(new Step(0, new MemoryProtocol.FolioPut(0, 1)));
    assertEquals(Set.of(RefcountErrorOracle.NAME), runScript(List.of(twice), 0));
    assertEquals(Set.of(RefcountErrorOracle.NAME), runScript(List.of(none), 0), "leak at teardown");
    assertEquals(Set.of(), runScript(List.of(once), 0));
  }

  @Test
  void kvmVcpuMapUnderTheRfcsGetWritesAPageItsReferenceDoesNotPin() {
    var s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", "vcpu-map-vs-split.conf"), List.of());
    Set<String> fired = Hunt.run(s, new Hunt.Options(1, "pct", 4, Budget.parse("4000runs"), 1_000_000), null).findings().keySet();
    assertTrue(fired.contains(WrongFolioRefOracle.NAME), fired.toString());
    var fixed = new ScenarioLoader(Oracles.names())
        .load(Path.of("..", "scenarios", "vcpu-map-vs-split.conf"), List.of("kvm.try-get-pfn=folio-try-get-recheck"));
    assertEquals(Set.of(), Hunt.run(fixed, new Hunt.Options(1, "pct", 4, Budget.parse("20000runs"), 1_000_000), null).findings().keySet());
  }
}
