package gmemsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.scenario.Budget;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The long hunts; run with {@code mvn -Plong test} (CI does not). */
@Tag("long")
class LongHuntTest {
  private static final Path SCENARIO = Path.of("..", "scenarios", "split-vs-tryget.conf");

  private static HuntResult hunt(String variant, String strategy, long seed, String budget) {
    var s = new ScenarioLoader(Oracles.names()).load(SCENARIO, List.of("kvm.try-get-pfn=" + variant));
    return Hunt.run(s, new Hunt.Options(seed, strategy, 4, Budget.parse(budget), 1_000_000), null);
  }

  @Test
  void recheckStaysCleanOverTwentyThousandRunsPerStrategy() {
    for (String strategy : Hunt.strategies()) {
      HuntResult r = hunt("folio-try-get-recheck", strategy, 7, "20000runs");
      assertEquals(20000, r.runs());
      assertTrue(r.findings().isEmpty(), strategy + ": " + r.findings().keySet());
    }
  }

  @Test
  void everySeedOneToTenFindsTheRaceWithPct() {
    for (long seed = 1; seed <= 10; seed++) {
      HuntResult r = hunt("folio-try-get", "pct", seed, "30000runs");
      assertTrue(r.findings().containsKey("refcount-error"), "seed " + seed);
    }
  }
}
