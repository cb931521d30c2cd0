package gmemsim.runtime.akka;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
            "faults.preempt-pace-lane=0.25", "faults.preempt-rate=0.5"),
        2_000_000L, 1000);
    assertEquals(20_000, f.preemptMaxMicros());
    assertEquals(40_000, f.slowMaxMicros());
    assertEquals(6_000, f.paceMaxMicros());
    assertEquals(0.25, f.paceChance());
    assertEquals(0.5, f.preemptRate());
  }

  @Test
  void noDelayOutlastsAQuarterOfTheRunTimeout() {
    TimingFaults f = TimingFaults.of(
        scenario("runtime.run-timeout=4s", "faults.preempt-steps=1000000", "faults.preempt-pace-steps=1000000"),
        1_000_000L, 1000);
    assertEquals(1_000_000, f.preemptMaxMicros());
    assertEquals(1_000_000, f.paceMaxMicros());
  }

  @Test
  void aPaceTheSchedulerCannotTimeIsNotApplied() {
    // 2 steps of 400 us: 800 us, below a 1 ms tick (one node); 2 steps of 3 ms: a cluster's.
    Scenario s = scenario("faults.preempt-pace-lane=0.5", "faults.preempt-pace-steps=2");
    assertEquals(0, TimingFaults.of(s, 400_000L, 1000).paceMaxMicros());
    assertEquals(6_000, TimingFaults.of(s, 3_000_000L, 1000).paceMaxMicros());
  }

  @Test
  void beforeAnyStepTimeIsMeasuredThereIsNoDelay() {
    TimingFaults f = TimingFaults.of(scenario("faults.preempt-pace-lane=1.0"), 0, 1000);
    assertEquals(0, f.paceMaxMicros());
    assertEquals(0, f.slowMaxMicros());
  }
}
