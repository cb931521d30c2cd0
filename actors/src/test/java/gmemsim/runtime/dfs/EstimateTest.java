package gmemsim.runtime.dfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.oracle.Oracles;
import gmemsim.runtime.Finding;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.ReplayStrategy;
import gmemsim.runtime.RunResult;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** run.dfs-estimate: Knuth's estimate of a search's runs, against the search it estimates. */
class EstimateTest {
  private static final Path SCENARIO = Path.of("..", "scenarios", "split-vs-tryget-dfs.conf");

  private static HuntResult hunt(String variant, String... sets) {
    Scenario s = new ScenarioLoader(Oracles.names()).load(SCENARIO, variant, List.of(sets));
    return Hunt.run(s, new Hunt.Options(1, "dfs", 3, Budget.parse("2000000runs"), 1_000_000), null);
  }

  @Test
  void theEstimateIsWithinAFewPercentOfTheRunsTheSearchMakes() {
    for (int bound = 0; bound <= 2; bound++) {
      long exact = hunt("mainline", "run.preemption-bound=" + bound).runs();
      HuntResult e = hunt("mainline", "run.preemption-bound=" + bound, "run.dfs-estimate=1000");
      assertEquals(1000, e.runs(), "one run per probe");
      double estimated = e.verification().estimate().runs();
      assertTrue(Math.abs(estimated - exact) < 0.15 * exact, "bound " + bound + ": " + estimated + " against " + exact);
      assertFalse(e.verification().finished(), "an estimate verifies nothing");
      String line = e.verification().statement(false);
      assertTrue(line.startsWith("not searched: estimated at ") && line.contains("at most " + bound + " preemption"), line);
    }
  }

  @Test
  void aProbeThatRunsIntoTheRaceIsAFindingThatReplays() {
    HuntResult r = hunt("rfc-2024", "run.preemption-bound=2", "run.dfs-estimate=2000");
    Finding f = r.findings().get("refcount-error");
    assertTrue(f != null, "refcount-error among the probes: " + r.findings().keySet());
    Scenario s = new ScenarioLoader(Oracles.names()).load(SCENARIO, "rfc-2024", List.of());
    RunResult again = Hunt.runOnce(s, f.firstRunSeed(), new ReplayStrategy(f.schedule()), 1_000_000, null);
    assertEquals(f.first(), again.violations().get(0));
    assertTrue(r.verification().statement(true).contains("oracles fired in probes"));
  }

  @Test
  void aSubtreeOfRPointsWithBPreemptionsLeftCountsTheirPlacements() {
    assertEquals(1, KnuthProbe.subtree(0, 100, 4));
    assertEquals(1 + 10 * 3, KnuthProbe.subtree(1, 10, 3));
    assertEquals(1 + 4 + 6, KnuthProbe.subtree(2, 4, 1));
    // More preemptions than points: every placement, no more.
    assertEquals(1 + 2 + 1, KnuthProbe.subtree(5, 2, 1));
  }

  @Test
  void anEstimateIsOfTheWholeSearchSoAShardIsRefusedWithItsKey() {
    List<String> sets = new ArrayList<>(List.of("run.dfs-estimate=10", "run.shard=1/2"));
    ScenarioException e = assertThrows(ScenarioException.class, () -> hunt("mainline", sets.toArray(new String[0])));
    assertTrue(e.getMessage().contains("run.shard: run.dfs-estimate estimates the whole search"), e.getMessage());
  }
}
