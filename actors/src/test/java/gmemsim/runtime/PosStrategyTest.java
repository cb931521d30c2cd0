package gmemsim.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.scenario.Budget;
import gmemsim.scenario.Scenario;
import org.junit.jupiter.api.Test;

/** Partial order sampling: deterministic per run seed, and it finds seed 004. */
class PosStrategyTest {
  @Test
  void aRunSeedGivesOneScheduleAndAnotherSeedAnother() {
    Scenario s = ControlledRunTest.scenario();
    RunResult a = Hunt.runOnce(s, 42, new PosStrategy(), 1_000_000, null);
    RunResult b = Hunt.runOnce(s, 42, new PosStrategy(), 1_000_000, null);
    RunResult c = Hunt.runOnce(s, 43, new PosStrategy(), 1_000_000, null);
    assertArrayEquals(a.schedule(), b.schedule());
    assertFalse(java.util.Arrays.equals(a.schedule(), c.schedule()));
  }

  @Test
  void itFindsTheSplitAgainstTheTryGetAndTheFindingReplays() {
    Scenario s = ControlledRunTest.scenario();
    HuntResult h = Hunt.run(s, new Hunt.Options(1, "pos", 3, Budget.parse("3000runs"), 1_000_000), null);
    Finding f = h.findings().get("refcount-error");
    assertTrue(f != null, h.findings().keySet().toString());
    RunResult again = Hunt.runOnce(s, f.firstRunSeed(), new ReplayStrategy(f.schedule()), 1_000_000, null);
    assertEquals(f.first(), again.violations().get(0));
  }

  @Test
  void posMissesTheDeadlockThatNeedsALaneHeldBackAndMixFindsIt() {
    Scenario s = new gmemsim.scenario.ScenarioLoader(gmemsim.oracle.Oracles.names())
        .load(java.nio.file.Path.of("..", "scenarios", "memory-failure-vs-populate.conf"), java.util.List.of());
    HuntResult pos = Hunt.run(s, new Hunt.Options(1, "pos", 4, Budget.parse("2000runs"), 1_000_000), null);
    HuntResult mix = Hunt.run(s, new Hunt.Options(1, "mix", 4, Budget.parse("2000runs"), 1_000_000), null);
    assertFalse(pos.findings().containsKey("deadlock"), pos.findings().keySet().toString());
    assertTrue(mix.findings().containsKey("deadlock"), mix.findings().keySet().toString());
  }
}
