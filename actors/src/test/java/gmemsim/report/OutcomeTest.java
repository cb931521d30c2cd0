package gmemsim.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.oracle.Oracles;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** expect.windows without coverage (the akka runtime): a found violation stands, "clean" cannot. */
class OutcomeTest {
  private static Scenario splitVsTryget(String... sets) {
    return new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", "split-vs-tryget.conf"), List.of(sets));
  }

  @Test
  void anExpectedViolationMatchesWithoutCoverageAndSaysTheWindowsWentUnchecked() {
    Outcome o = Outcome.evaluate(splitVsTryget(), Set.of("refcount-error"), null);
    assertTrue(o.matches(), o.reason());
    assertTrue(o.reason().contains("expect.windows not checked"), o.reason());
    Outcome missing = Outcome.evaluate(splitVsTryget(), Set.of(), null);
    assertFalse(missing.matches(), missing.reason());
  }

  @Test
  void cleanWithoutCoverageIsNotEvidence() {
    Outcome o = Outcome.evaluate(splitVsTryget("expect.clean=true"), Set.of(), null);
    assertFalse(o.matches(), o.reason());
    assertTrue(o.reason().startsWith("window not reached"), o.reason());
  }
}
