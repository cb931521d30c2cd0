package gmemsim.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.prim.Primitives;
import gmemsim.model.prim.Step;
import gmemsim.model.thread.ThreadProtocol.Ret;
import gmemsim.oracle.Oracles;
import gmemsim.report.Outcome;
import gmemsim.scenario.Budget;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Coverage counts each outcome and each window once per run, and only on overlapping objects. */
class CoverageTest {
  private static final int TAKER = 0;
  private static final int MEM = 1;
  private static final int SPLITTER = 2;

  /** A kernel path's step: its primitive names it, and the primitive's declared objects are those its window counts. */
  private static Step step(String primitive, long... args) {
    return new Step(Primitives.byName(primitive).id(), args, null, -1, false, -1);
  }

  @Test
  void outcomesAndWindowsCountOncePerRunAndOnlyOnOverlappingObjects() {
    Coverage c = new Coverage();
    for (int run = 0; run < 3; run++) {
      CoverageRecorder r = new CoverageRecorder(c, 3);
      r.delivered(TAKER, MEM, step("page_folio", 0x100c0c));
      r.delivered(MEM, TAKER, Ret.of(0x100c00));
      if (run < 2) r.delivered(SPLITTER, MEM, step("clear_compound_head", 0x100c04, 2, 0x100c00));
      // A step of another lane on a page far away is no part of the window.
      r.delivered(SPLITTER, MEM, step("folio_ref_freeze", 0x200000, 1));
      r.delivered(TAKER, MEM, step("folio_try_get", 0x100c00));
      r.delivered(MEM, TAKER, Ret.of(run == 0 ? 0 : 1));
      r.delivered(TAKER, MEM, step("folio_try_get", 0x100c00));
      r.delivered(MEM, TAKER, Ret.of(1));
      r.end();
    }
    assertEquals(3, c.runs());
    assertEquals(Map.of("fail", 1L, "got", 3L), c.outcomes().get("folio_try_get"));
    assertEquals(2, c.windowRuns("page_folio -> folio_try_get <- clear_compound_head"));
    assertEquals(0, c.windowRuns("page_folio -> folio_try_get <- folio_ref_freeze"));
    // The freeze got no reply here: both of its outcomes are possible and never seen.
    assertEquals(Map.of("folio_ref_freeze", List.of("frozen", "fail")), c.neverSeen());
  }

  @Test
  void anErrnoReplyIsNamedAndCountedOncePerRun() {
    Coverage c = new Coverage();
    for (int run = 0; run < 2; run++) {
      CoverageRecorder r = c.recorder(3);
      for (int i = 0; i < 2; i++) {
        r.delivered(TAKER, MEM, step("folio_ref_add", 0x100c00, 1));
        r.delivered(MEM, TAKER, Ret.of(-11));
      }
      r.end();
    }
    Map<String, Long> seen = c.outcomes().get("folio_ref_add");
    assertEquals(1, seen.size(), seen.toString());
    assertTrue(seen.keySet().iterator().next().contains("EAGAIN"), seen.toString());
    assertEquals(2L, seen.values().iterator().next());
  }

  @Test
  void aConversionNoVcpuTouchesIsNotCleanButWindowNotReached() {
    var loader = new ScenarioLoader(Oracles.names());
    var untouched = loader.load(Path.of("..", "scenarios", "conversion-untouched-range.conf"), List.of());
    HuntResult r = Hunt.run(untouched, new Hunt.Options(1, "pct", 3, Budget.parse("2000runs"), 1_000_000), null);
    assertEquals(Map.of(), r.findings());
    Outcome o = Outcome.evaluate(untouched, r.findings().keySet(), r.coverage());
    assertTrue(!o.matches() && o.reason().startsWith("window not reached: mmu_invalidate_seq"), o.reason());

    String window = "mmu_invalidate_seq -> kvm_mem_is_private <- kvm_mmu_invalidate_range_add";
    var touched = loader.load(Path.of("..", "scenarios", "fault-vs-conversion.conf"),
        List.of("expect.windows=[\"" + window + "\"]"));
    HuntResult t = Hunt.run(touched, new Hunt.Options(1, "pct", 3, Budget.parse("2000runs"), 1_000_000), null);
    assertTrue(t.coverage().windowRuns(window) > 0);
    assertTrue(Outcome.evaluate(touched, t.findings().keySet(), t.coverage()).matches());
  }

  /** try_get_folio()'s put-and-retry after the page_folio() re-check, as coverage names it. */
  private static String recheckRetry() {
    String src = gmemsim.model.exec.KernelSources.get().builtIn().stream().filter(f -> f.name().equals("mm/gup.c"))
        .findFirst().orElseThrow().text();
    List<String> lines = src.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("folio_put_refs(folio, refs);")) return "mm/gup.c:" + (i + 1) + ": folio_put_refs(folio, refs);";
    }
    throw new AssertionError("mm/gup.c has no put-and-retry");
  }

  private static Map<String, Boolean> points(Coverage c, String fn) {
    return c.programPoints().entrySet().stream().filter(e -> e.getKey().startsWith(fn + " (")).map(Map.Entry::getValue)
        .findFirst().orElse(null);
  }

  @Test
  void theGupRecheckRetriesAndTheSplitLandsBetweenPageFolioAndTryGet() {
    var s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", "split-vs-tryget.conf"),
        List.of("kernel.patch=[]", "kvm.try-get-pfn=folio-try-get-recheck"));
    HuntResult r = Hunt.run(s, new Hunt.Options(1, "pct", 4, Budget.parse("5000runs"), 1_000_000), null);
    Map<String, Boolean> p = points(r.coverage(), "try_get_folio");
    assertEquals(Boolean.TRUE, p.get(recheckRetry()), p.toString());
    assertTrue(r.coverage().windowRuns("page_folio -> folio_ref_try_add <- clear_compound_head") > 0);
  }

  @Test
  void theRecheckIsNeverReachedWithoutItAndReachedWithIt() {
    var loader = new ScenarioLoader(Oracles.names());
    var o = new Hunt.Options(1, "pct", 4, Budget.parse("500runs"), 1_000_000);
    // The RFC's variant replaces try_get_folio() with one that has no re-check: its program has no such line at all.
    var rfc = loader.load(Path.of("..", "scenarios", "split-vs-tryget.conf"), List.of("kernel.patch=[]", "kvm.try-get-pfn=folio-try-get"));
    Coverage without = Hunt.run(rfc, o, null).coverage();
    Map<String, Boolean> rfcPoints = points(without, "try_get_folio");
    assertTrue(rfcPoints.keySet().stream().allMatch(k -> k.startsWith("variants/kvm.try-get-pfn/folio-try-get.c:")), rfcPoints.toString());
    assertTrue(without.neverReached().keySet().stream().noneMatch(k -> k.startsWith("try_get_folio")), without.neverReached().toString());

    var mainline = loader.load(Path.of("..", "scenarios", "split-vs-tryget.conf"),
        List.of("kernel.patch=[]", "kvm.try-get-pfn=folio-try-get-recheck"));
    Coverage with = Hunt.run(mainline, o, null).coverage();
    Map<String, Boolean> mainPoints = points(with, "try_get_folio");
    assertTrue(mainPoints.containsKey(recheckRetry()), mainPoints.toString());

    // Another node's points merge by "reached anywhere"; declaration order is kept.
    Coverage merged = new Coverage();
    merged.add(Hunt.run(mainline, new Hunt.Options(2, "pct", 4, Budget.parse("100runs"), 1_000_000), null).coverage().snapshot());
    merged.add(with.snapshot());
    String key = with.programPoints().keySet().stream().filter(k -> k.startsWith("try_get_folio (")).findFirst().orElseThrow();
    Map<String, Boolean> both = merged.programPoints().get(key);
    assertEquals(List.copyOf(mainPoints.keySet()), List.copyOf(both.keySet()));
    mainPoints.forEach((k, v) -> assertTrue(!v || both.get(k), k));
  }

  /** A function with two ways out, for the coverage of points without a run. */
  private static final gmemsim.lang.Program TWO_WAYS = gmemsim.lang.Compiler.compile(List.of(
      new gmemsim.lang.Compiler.Layer("test", List.of(new gmemsim.lang.SourceFile("two.c", gmemsim.lang.SourceFile.Origin.BUILT_IN,
          "int two_ways(int x)\n{\n\tif (x)\n\t\treturn 1;\n\treturn 0;\n}\n")))),
      gmemsim.model.exec.KernelExterns.INSTANCE);

  @Test
  void aFunctionOfTheProgramThatNoRunEnteredIsListedAsNeverRan() {
    var topo = new gmemsim.model.Topology(gmemsim.model.MachineBuilder.BASE_PFN, 1024, new int[] {0});
    var env = new gmemsim.model.exec.KernelEnv(TWO_WAYS, topo,
        List.of(new gmemsim.model.mm.Memory("mem0", gmemsim.model.MachineBuilder.BASE_PFN, 1024, 0)));
    Coverage c = new Coverage();
    int[] blocks = c.blockCounts(TWO_WAYS);
    c.declarePath(new gmemsim.model.exec.SourcePath(env, "two_ways", 1));
    assertEquals(1, c.neverRan().size(), c.neverRan().toString());
    String key = c.neverRan().get(0);
    assertTrue(key.startsWith("two_ways (two.c:"), key);
    assertEquals(Map.of(), c.neverReached());
    // A run entered the function and took the first way out only.
    int entered = -1;
    for (int b = 0; b < TWO_WAYS.blocks(); b++) if (entered < 0 && TWO_WAYS.block(b).fn().name.equals("two_ways")) entered = b;
    blocks[entered]++;
    assertEquals(List.of(), c.neverRan());
    assertEquals(java.util.Set.of(key), c.neverReached().keySet());
    assertTrue(c.neverReached().get(key).size() < points(c, "two_ways").size(), c.neverReached().toString());
  }
}
