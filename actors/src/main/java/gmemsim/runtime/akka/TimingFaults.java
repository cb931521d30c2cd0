package gmemsim.runtime.akka;

import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;

/**
 * The akka runtime's timing faults for one run, in wall time: the {@code faults.preempt-*} knobs
 * (preemptions, stalls and paces) are given in machine steps, so they mean the same on one node (steps
 * of microseconds) and on a spread cluster (steps of a network round trip). Each delay is capped
 * at a quarter of the run timeout, so a faulted run still ends well before it is probed.
 *
 * <p>A pace shorter than the scheduler's tick is not applied: the scheduler would stretch it to
 * the tick, and on one node, where a step takes tens of microseconds, a paced thread would crawl
 * at a fiftieth of the others' speed (lookup-vs-truncate on one node: 90% of runs opened the
 * window unpaced, 35% paced, with a tenth of the runs). Paces are for machines whose steps are
 * network round trips, which real parallelism on one node does not need.
 *
 * @param preemptRate chance that a thread is preempted before a step
 * @param preemptMaxMicros longest preemption
 * @param preemptPerThread most preemptions of one thread in a run
 * @param slowChance chance that a thread stalls once, at a step drawn over its previous run's
 * @param slowMaxMicros longest stall
 * @param paceChance chance that a thread is paced for the whole run
 * @param paceMaxMicros largest pace: the delay every step of a paced thread gets
 */
record TimingFaults(
    double preemptRate,
    long preemptMaxMicros,
    int preemptPerThread,
    double slowChance,
    long slowMaxMicros,
    double paceChance,
    long paceMaxMicros) {

  /**
   * @param stepNanos the measured wall time of one machine step
   * @param tickMicros the scheduler's tick: the shortest delay it can time
   */
  static TimingFaults of(Scenario s, long stepNanos, long tickMicros) {
    long capUs = s.duration(Knobs.RUN_TIMEOUT).toNanos() / 4000;
    java.util.function.ToLongFunction<gmemsim.scenario.Knob> wallUs =
        k -> Math.min(s.intValue(k) * stepNanos / 1000, capUs);
    long paceUs = wallUs.applyAsLong(Knobs.PREEMPT_PACE_STEPS);
    return new TimingFaults(
        s.rate(Knobs.PREEMPT_RATE),
        wallUs.applyAsLong(Knobs.PREEMPT_STEPS),
        s.intValue(Knobs.PREEMPT_PER_THREAD),
        s.rate(Knobs.PREEMPT_SLOW_LANE),
        wallUs.applyAsLong(Knobs.PREEMPT_SLOW_STEPS),
        s.rate(Knobs.PREEMPT_PACE_LANE),
        paceUs < tickMicros ? 0 : paceUs);
  }

}
