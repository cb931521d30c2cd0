package gmemsim.runtime.akka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.oracle.Oracles;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timing faults are asked in machine steps and applied in wall time, capped by the run timeout. */
class TimingFaultsTest {
  private static Scenario scenario(String... sets) {
    return new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", "lookup-vs-truncate.conf"), List.of(sets));
  }

  @Test
  void stepsBecomeMicrosecondsOfTheMeasuredStepTime() {
    TimingFaults f = TimingFaults.of(
        scenario("faults.preempt-steps=10", "faults.preempt-slow-steps=20", "faults.preempt-pace-steps=3",
            "faults.preempt-pace-lane=0.25", "faults.preempt-rate=0.5", "faults.preempt-unlock=0.75"),
        2_000_000L, 0, 1000);
    assertEquals(20_000, f.preemptMaxMicros());
    assertEquals(40_000, f.slowMaxMicros());
    assertEquals(6_000, f.paceMaxMicros());
    assertEquals(0.25, f.paceChance());
    assertEquals(0.5, f.preemptRate());
    assertEquals(0.75, f.unlockChance());
  }

  @Test
  void noDelayOutlastsAQuarterOfTheRunTimeout() {
    TimingFaults f = TimingFaults.of(
        scenario("runtime.run-timeout=4s", "faults.preempt-steps=1000000", "faults.preempt-pace-steps=1000000"),
        1_000_000L, 0, 1000);
    assertEquals(1_000_000, f.preemptMaxMicros());
    assertEquals(1_000_000, f.paceMaxMicros());
  }

  @Test
  void aPaceTheSchedulerCannotTimeIsNotApplied() {
    // 2 steps of 400 us: 800 us, below a 1 ms tick (one node); 2 steps of 3 ms: a cluster's.
    Scenario s = scenario("faults.preempt-pace-lane=0.5", "faults.preempt-pace-steps=2");
    assertEquals(0, TimingFaults.of(s, 400_000L, 0, 1000).paceMaxMicros());
    assertEquals(6_000, TimingFaults.of(s, 3_000_000L, 0, 1000).paceMaxMicros());
  }

  @Test
  void beforeAnyStepTimeIsMeasuredThereIsNoDelay() {
    TimingFaults f = TimingFaults.of(scenario("faults.preempt-pace-lane=1.0", "faults.preempt-stagger=1.0"), 0, 0, 1000);
    assertEquals(0, f.paceMaxMicros());
    assertEquals(0, f.slowMaxMicros());
    assertEquals(0, f.startDelayMicros(1, 0, new boolean[] {true, true}));
  }

  @Test
  void staggeredThreadsAgreeOnOneOrderAndOneGap() {
    // 3 threads among 5 components; steps of 1 ms, runs of 10,000 steps, a 1 ms tick.
    TimingFaults f = TimingFaults.of(scenario("faults.preempt-stagger=0.5", "runtime.run-timeout=1000s"), 1_000_000L, 10_000, 1000);
    boolean[] executors = {true, false, true, false, true};
    int staggered = 0;
    int longGaps = 0;
    for (long seed = 1; seed <= 2000; seed++) {
      long[] d = {f.startDelayMicros(seed, 0, executors), f.startDelayMicros(seed, 2, executors), f.startDelayMicros(seed, 4, executors)};
      assertEquals(0, f.startDelayMicros(seed, 1, executors), "a component that runs no path is never delayed");
      long[] sorted = d.clone();
      java.util.Arrays.sort(sorted);
      if (sorted[2] == 0) continue;
      staggered++;
      // One thread first, then one gap, then two gaps (rounded to microseconds).
      assertEquals(0, sorted[0]);
      assertTrue(Math.abs(sorted[2] - 2 * sorted[1]) <= 1, java.util.Arrays.toString(d));
      assertTrue(sorted[1] >= 1000 && sorted[1] <= 10_000_000, java.util.Arrays.toString(d));
      if (sorted[1] >= 1_000_000) longGaps++;
    }
    assertTrue(staggered > 850 && staggered < 1150, staggered + " of 2000 runs staggered");
    // Log-uniform over [1, 10,000] steps: a gap of 1,000 steps or more in a quarter of them.
    assertTrue(longGaps > staggered / 6 && longGaps < staggered / 3, longGaps + " long gaps of " + staggered);
  }

  @Test
  void aStaggerNeverOutlastsAQuarterOfTheRunTimeout() {
    TimingFaults f = TimingFaults.of(scenario("faults.preempt-stagger=1.0", "runtime.run-timeout=4s"), 1_000_000L, 1_000_000, 1000);
    boolean[] executors = {true, true, true, true};
    for (long seed = 1; seed <= 200; seed++) {
      for (int i = 0; i < executors.length; i++) assertTrue(f.startDelayMicros(seed, i, executors) <= 1_000_000);
    }
  }
}
