package gmemsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.Component;
import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.model.Topology;
import gmemsim.model.mm.Memory;
import gmemsim.model.thread.HostThread;
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
  void aFlushStillOwedWhenTheRunEndsIsUnbalancedAndTheFlushedZapIsNot() {
    Path file = Path.of("..", "scenarios", "direct-map-flush-owed.conf");
    for (String variant : List.of("none", "before-publish")) {
      var s = new ScenarioLoader(Oracles.names()).load(file, variant, List.of());
      HuntResult r = Hunt.run(s, new Hunt.Options(1, "pct", 3, Budget.parse("5000runs"), 1_000_000), null);
      if (variant.equals("none")) {
        assertTrue(r.findings().containsKey(UnbalancedOracle.NAME), r.findings().keySet().toString());
        assertTrue(r.findings().get(UnbalancedOracle.NAME).first().message().contains("flush_tlb_kernel_range() of it is still owed"),
            r.findings().get(UnbalancedOracle.NAME).first().message());
      } else {
        assertEquals(Set.of(), r.findings().keySet());
      }
    }
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

  /** The oracles a hunt of the scenario written as these lines (to file f) fires. */
  private static Set<String> huntText(Path f, String runs, String... lines) throws java.io.IOException {
    java.nio.file.Files.writeString(f, String.join("\n", lines));
    var s = new ScenarioLoader(Oracles.names()).load(f, List.of());
    return Hunt.run(s, new Hunt.Options(1, "pct", 3, Budget.parse(runs), 1_000_000), null).findings().keySet();
  }

  private static Set<String> huntVariant(String scenario, String variant, String runs) {
    var s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", scenario), variant, List.of());
    return Hunt.run(s, new Hunt.Options(1, "pct", 3, Budget.parse(runs), 1_000_000), null).findings().keySet();
  }

  @Test
  void wrongDataFiresWhenThePrepareRunsUnlockedAndNotOnMainline() {
    // The late clear of the second prepare wipes the store the guest made through the first
    // fault's mapping; nothing else in the run is wrong (references and mappings are right).
    assertEquals(Set.of(WrongDataOracle.NAME), huntVariant("gmem-prepare-vs-store.conf", "prepare-unlocked", "20000runs"));
    assertEquals(Set.of(), huntVariant("gmem-prepare-vs-store.conf", "mainline", "20000runs"));
  }

  @Test
  void theReleasesPutOfTheVmIsCleanLastAndAUseAfterFreeFirst() {
    assertEquals(Set.of(), huntVariant("vm-close-vs-file-release.conf", "mainline", "5000runs"));
    // The destroy's WARN_ON fires where the file's put came first and the VM fd's close destroyed
    // the VM during the release's invalidation; the use of the freed struct kvm where it came last.
    assertEquals(Set.of(UseAfterFreeOracle.NAME, WarnOracle.NAME), huntVariant("vm-close-vs-file-release.conf", "put-first", "2000runs"));
  }

  @Test
  void aFaultThatTakesTheSlotsFileWithGetFileUsesAFreedFileAndGetFileActiveDoesNot() {
    assertEquals(Set.of(), huntVariant("release-vs-get-pfn.conf", "mainline", "5000runs"));
    // get_file()'s own warning where it met the released file before file_free(); the folio the
    // fault then adds to the freed page cache is never put.
    assertEquals(Set.of(UseAfterFreeOracle.NAME, WarnOracle.NAME, RefcountErrorOracle.NAME),
        huntVariant("release-vs-get-pfn.conf", "get-file", "3000runs"));
  }

  @Test
  void aGuestTouchOrKvmsOwnWriteMayOverlapTheFilesCloseAndStaysClean(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws java.io.IOException {
    // The touch holds a file reference (get_file_active(), -EFAULT once released); when its fput()
    // is the last, its own task_work truncates the page cache while it still holds the folio:
    // the page cache's puts are the cache's references (__ghost_holder), not the touch's.
    assertEquals(Set.of(), huntText(tmp.resolve("touch-vs-close.conf"), "5000runs",
        "machine.cpus = 2",
        "machine.memory = 4M",
        "actors = [",
        "  { name = vcpu0, kind = vcpu, program = [ { op = gmem-fault, index = 0, pages = 4 } ] }",
        "  { name = vmm, kind = vmm, program = [ { op = create, size = 16K, expect = 0 }, { op = close } ] }",
        "]"));
    // KVM's own write to a no-direct-map page holds a file reference the same way (without it,
    // use-after-free and refcount-error in most runs, a trace upstream cannot reach).
    assertEquals(Set.of(), huntText(tmp.resolve("temp-write-vs-close.conf"), "3000runs",
        "gmem.direct-map-removal = per-folio",
        "gmem.temp-restore = folio-lock",
        "machine.cpus = 3",
        "machine.memory = 4M",
        "machine.direct-map-page-size = 4k",
        "vm.type = default",
        "actors = [",
        "  { name = vcpu0, kind = vcpu, program = [ { op = gmem-fault, index = 0, pages = 2 }, { op = wake, futex = faulted } ] }",
        "  { name = vmm, kind = vmm, program = [ { op = create, size = 16K, flags = [mmap, init-shared, no-direct-map], expect = 0 },"
            + " { op = close } ] }",
        "  { name = kvm0, kind = kernel, program = [ { op = wait, futex = faulted }, { op = kvm-temp-write, index = 0 },"
            + " { op = kvm-temp-write, index = 1 } ] }",
        "]"));
  }

  @Test
  void populatesGupUnderTheInvalidateLockDeadlocksWithAnInPlaceFaultAndMainlineDoesNot() {
    // Before 2a62345b30529 the source's GUP took mmap_lock under the invalidate lock; the in-place
    // fault takes them the other way round, and a queued mmap() writer closes the cycle.
    assertEquals(Set.of(DeadlockOracle.NAME, RefcountErrorOracle.NAME, UnbalancedOracle.NAME),
        huntVariant("populate-src-vs-mmap-lock.conf", "gup-under-lock", "3000runs"));
    assertEquals(Set.of(), huntVariant("populate-src-vs-mmap-lock.conf", "mainline", "10000runs"));
  }

  @Test
  void aFirstPageFlushIsCleanOverOne2mLeafAndLeaksOver4kPtes() {
    // TLB entries the size of their leaf: one INVLPG inside a 2M entry removes it whole, while
    // over 4K PTEs every other page of the folio keeps its own entry.
    assertEquals(Set.of(DirectMapLeakOracle.NAME), huntVariant("direct-map-flush-first-page.conf", "first-page-4k", "400runs"));
    assertEquals(Set.of(), huntVariant("direct-map-flush-first-page.conf", "first-page", "600runs"));
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

  /** Hand-written kernel functions of one folio, each a thread's whole script. */
  private static final gmemsim.lang.Program SCRIPTS = gmemsim.lang.Compiler.compile(List.of(
      new gmemsim.lang.Compiler.Layer("built in", gmemsim.model.exec.KernelSources.get().builtIn()),
      new gmemsim.lang.Compiler.Layer("test", List.of(new gmemsim.lang.SourceFile("scripts.c", gmemsim.lang.SourceFile.Origin.BUILT_IN,
          """
          void lock_only(struct folio *folio)
          {
          	folio_lock(folio);
          }

          void lock_unlock(struct folio *folio)
          {
          	folio_lock(folio);
          	folio_unlock(folio);
          }

          void lock_unlock_put(struct folio *folio)
          {
          	folio_lock(folio);
          	folio_unlock(folio);
          	folio_put(folio);
          }

          void unfreeze_to(struct folio *folio, int count)
          {
          	folio_ref_freeze(folio, 1);
          	folio_ref_unfreeze(folio, count);
          	folio_put(folio);
          }

          void put_times(struct folio *folio, int n)
          {
          	int i;

          	for (i = 0; i < n; i++)
          		folio_put(folio);
          }
          """)))),
      gmemsim.model.exec.KernelExterns.INSTANCE);

  /** One thread's script: a function of {@link #SCRIPTS} and its arguments after the folio. */
  private record Script(String fn, long... args) {}

  /** Union of what fired over 20 random schedules. */
  private static Set<String> runScript(List<Script> threads, int allocOrder) {
    Set<String> all = new java.util.HashSet<>();
    for (long seed = 0; seed < 20; seed++) all.addAll(runScript(threads, allocOrder, seed));
    return all;
  }

  private static Set<String> runScript(List<Script> threads, int allocOrder, long seed) {
    int base = MachineBuilder.BASE_PFN;
    Memory mem = new Memory("mem0", base, 1024, 0);
    int h = mem.allocator().allocPages(allocOrder, "t0");
    Topology topo = new Topology(base, 1024, new int[] {0});
    List<Component> comps = new java.util.ArrayList<>(List.of(mem));
    gmemsim.model.exec.KernelEnv env = new gmemsim.model.exec.KernelEnv(SCRIPTS, topo, comps);
    for (int i = 0; i < threads.size(); i++) {
      Script t = threads.get(i);
      long[] args = new long[t.args().length + 1];
      args[0] = h;
      System.arraycopy(t.args(), 0, args, 1, t.args().length);
      comps.add(new HostThread("t" + i, List.of(new gmemsim.model.exec.SourcePath(env, t.fn(), args))));
    }
    RunResult r =
        new ControlledRun(new Machine(comps, topo), seed, Oracles.create(), null)
            .execute(new RandomStrategy(), 10_000);
    return r.violations().stream().map(Violation::oracle).collect(Collectors.toSet());
  }

  @Test
  void deadlockFiresWhenALockIsNeverReleasedAndNotWhenItIs() {
    Script leaks = new Script("lock_only");
    Script balanced = new Script("lock_unlock");
    Script waiter = new Script("lock_unlock_put");
    // t0 owns the page's reference, so the waiter that finally puts it is t0.
    assertTrue(runScript(List.of(waiter, leaks), 0).contains(DeadlockOracle.NAME));
    assertEquals(Set.of(), runScript(List.of(waiter, balanced), 0));
  }

  @Test
  void refcountErrorFiresOnAnUnfreezeToAGuessedCount() {
    assertEquals(Set.of(RefcountErrorOracle.NAME), runScript(List.of(new Script("unfreeze_to", 2)), 2));
    assertEquals(Set.of(), runScript(List.of(new Script("unfreeze_to", 1)), 2));
  }

  @Test
  void refcountErrorFiresOnADoublePutAndLeftoversButNotOnOnePut() {
    assertEquals(Set.of(RefcountErrorOracle.NAME), runScript(List.of(new Script("put_times", 2)), 0));
    assertEquals(Set.of(RefcountErrorOracle.NAME), runScript(List.of(new Script("put_times", 0)), 0), "leak at teardown");
    assertEquals(Set.of(), runScript(List.of(new Script("put_times", 1)), 0));
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
