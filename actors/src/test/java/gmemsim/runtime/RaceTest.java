package gmemsim.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.oracle.Oracles;
import gmemsim.oracle.Violation;
import gmemsim.scenario.Budget;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Findings are told apart by racing-step signature, and each race replays on its own. */
class RaceTest {
  @Test
  void threadNumbersAndValuesAreNotPartOfTheSignature() {
    assertEquals(
        Race.signature("folio_put", List.of("taker0 in kvm_tdp_page_fault at RELEASE_PUT gfn 0x80001 pfn 0x100c05")),
        Race.signature("folio_put", List.of("taker2 in kvm_tdp_page_fault at RELEASE_PUT gfn 0x80002 pfn 0x100c07")));
    assertEquals("folio_put | taker in f at X", Race.signature("folio_put", List.of("taker1 in f at X index 3")));
  }

  @Test
  void theLedgerMergesRacesBySignatureAndKeepsTheLowerRun() {
    FindingsLedger l = new FindingsLedger();
    l.merge(finding("a", 5));
    l.merge(finding("b", 3));
    l.merge(finding("a", 2));
    Finding f = l.findings().get("o");
    assertEquals(3, f.count());
    assertEquals(2, f.firstRun());
    assertEquals(List.of("a", "b"), f.races().stream().map(Race::signature).toList());
    assertEquals(List.of(2L, 1L), f.races().stream().map(Race::count).toList());
    assertEquals(List.of(2L, 3L), f.races().stream().map(Race::firstRun).toList());
    l.count("o");
    assertEquals(4, l.findings().get("o").count(), "a run counted without a signature adds to the total only");
  }

  private static Finding finding(String race, long run) {
    Violation v = new Violation("o", 1, List.of(), List.of(), "m", race);
    return new Finding("o", 1, run, run * 7, 0, run + 1, v, new long[0]);
  }

  @Test
  void memoryFailureDeadlocksWithPopulateOnlyAndEachRaceReplays() {
    var s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", "memory-failure-vs-populate.conf"), List.of());
    HuntResult r = Hunt.run(s, new Hunt.Options(1, "pct", 3, Budget.parse("1500runs"), 1_000_000), null);
    Finding f = r.findings().get("deadlock");
    assertTrue(f.races().stream().anyMatch(x -> x.signature().contains("populate")), f.races().toString());
    // The eviction after kvm_gmem_release() truncates without the invalidate lock
    // (truncate_inode_pages_final()), so the VMM's close() is in no cycle with memory_failure.
    assertTrue(f.races().stream().noneMatch(x -> x.signature().contains("kvm_gmem_release")), f.races().toString());
    for (Race race : f.races()) {
      RunResult again = Hunt.runOnce(s, race.firstRunSeed(), new ReplayStrategy(race.schedule()), Long.MAX_VALUE, null);
      assertTrue(again.violations().contains(race.first()), race.signature());
    }
  }
}
