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
 * @param unlockChance chance that a thread stalls once right after a lock release, drawn over the
 *     releases of its previous run (a stall as long as a change point's)
 * @param paceChance chance that a thread is paced for the whole run
 * @param paceMaxMicros largest pace: the delay every step of a paced thread gets
 * @param staggerChance chance that a run starts its threads staggered
 * @param stepMicros the measured wall time of one machine step, the shortest stagger gap
 * @param staggerMaxMicros longest stagger gap: the measured length of a run
 * @param capMicros longest delay of any kind
 * @param tickMicros the scheduler's tick: a start delay below it is not applied
 */
record TimingFaults(
    double preemptRate,
    long preemptMaxMicros,
    int preemptPerThread,
    double slowChance,
    long slowMaxMicros,
    double unlockChance,
    double paceChance,
    long paceMaxMicros,
    double staggerChance,
    double stepMicros,
    long staggerMaxMicros,
    long capMicros,
    long tickMicros) {

  /**
   * @param stepNanos the measured wall time of one machine step
   * @param runSteps the measured length of a run, in machine steps (0: unknown yet)
   * @param tickMicros the scheduler's tick: the shortest delay it can time
   */
  static TimingFaults of(Scenario s, long stepNanos, long runSteps, long tickMicros) {
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
        s.rate(Knobs.PREEMPT_UNLOCK),
        s.rate(Knobs.PREEMPT_PACE_LANE),
        paceUs < tickMicros ? 0 : paceUs,
        s.rate(Knobs.PREEMPT_STAGGER),
        stepNanos / 1000.0,
        Math.min(runSteps * stepNanos / 1000, capUs),
        capUs,
        tickMicros);
  }

  /**
   * How long this thread's first step is held back in this run (faults.preempt-stagger): pct's
   * initial priorities as timing. Every thread draws the same order and gap from the run seed, so
   * they agree without a message; the thread at place r of the order starts r gaps late. A gap
   * is log-uniform between one step and a whole run, as a priority difference in pct is worth
   * anything from one step to a whole path: a window that needs one thread's path to end before
   * another's begins (tdx-two-vcpus-shared-conversion: a vCPU maps the 2M leaf, the VMM's split
   * of it fails, then the other vCPU faults) is then as likely as one that needs a short offset.
   *
   * @param executors per component of the machine, whether it runs paths of its own
   * @return microseconds, or 0 (not staggered, first in the order, or shorter than a tick)
   */
  long startDelayMicros(long runSeed, int index, boolean[] executors) {
    if (staggerChance <= 0 || staggerMaxMicros <= stepMicros || !executors[index]) return 0;
    java.util.SplittableRandom r = new java.util.SplittableRandom(gmemsim.runtime.Seeds.mix(runSeed ^ 0x57A66E4L));
    if (r.nextDouble() >= staggerChance) return 0;
    double gap = stepMicros * Math.exp(r.nextDouble() * Math.log(staggerMaxMicros / stepMicros));
    int n = 0;
    for (boolean e : executors) if (e) n++;
    int[] order = new int[n];
    for (int i = 0, k = 0; i < executors.length; i++) if (executors[i]) order[k++] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int place = 0;
    while (order[place] != index) place++;
    long us = (long) Math.min(place * gap, capMicros);
    return us < tickMicros ? 0 : us;
  }

}
