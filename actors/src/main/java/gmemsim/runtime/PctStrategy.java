package gmemsim.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010): each lane gets a random
 * distinct priority above {@code d}; the highest-priority lane with a message in flight runs;
 * change point i (i = 1..d-1) is a random step in [0, k) at which the lane about to run drops to
 * priority i, below every initial one. Labels are drawn independently of time, so a later change
 * point may drop its lane below or above an earlier one: both orders must be reachable. A bug of depth d is found with probability at least
 * 1/(n k^(d-1)) per run. It starves a lane right after a chosen step, which is what a race such
 * as split-vs-try-get needs and a uniform scheduler almost never does.
 */
public final class PctStrategy implements Strategy {
  private final int depth;
  private final long k;
  private final StepClock clock;
  private int[] prio;
  private long[] changeAt;
  private int[] changeLabel;
  private int nextChange;
  private int yieldFloor;

  /** @param k expected number of steps in a run (change points fall in [0, k)) */
  public PctStrategy(int depth, long k) {
    this(depth, k, StepClock.EVERY_STEP);
  }

  /** @param clock which steps count towards the change points (every step: pct; racing steps: pct-racing) */
  public PctStrategy(int depth, long k, StepClock clock) {
    if (depth < 1) throw new IllegalArgumentException("depth must be >= 1");
    this.depth = depth;
    this.k = Math.max(1, k);
    this.clock = clock;
  }

  @Override
  public String name() {
    return clock == StepClock.EVERY_STEP ? "pct" : "pct-racing";
  }

  public long k() {
    return k;
  }

  @Override
  public void beginRun(long runSeed, int components) {
    clock.reset(components);
    SplittableRandom rng = new SplittableRandom(Seeds.mix(runSeed ^ 0x504354L));
    prio = new int[components];
    for (int i = 0; i < components; i++) prio[i] = depth + i;
    for (int i = components - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = prio[i];
      prio[i] = prio[j];
      prio[j] = t;
    }
    // Change point with label i+1 falls at step at[i]; visit them in time order (ties: label order).
    int n = depth - 1;
    if (changeAt == null || changeAt.length != n) {
      changeAt = new long[n];
      changeLabel = new int[n];
    }
    for (int i = 0; i < n; i++) {
      long at = rng.nextLong(k);
      int j = i;
      // Insertion by time: d is small (pct-depth <= 20).
      while (j > 0 && changeAt[j - 1] > at) {
        changeAt[j] = changeAt[j - 1];
        changeLabel[j] = changeLabel[j - 1];
        j--;
      }
      changeAt[j] = at;
      changeLabel[j] = i + 1;
    }
    nextChange = 0;
    yieldFloor = 0;
  }

  /** A spinning lane drops below every other (and below earlier spinners). */
  @Override
  public void yielded(int lane) {
    prio[lane] = --yieldFloor;
  }

  @Override
  public int pick(List<Envelope> pool, long step) {
    int best = highest(pool);
    while (nextChange < changeAt.length && changeAt[nextChange] <= clock.now(step) && clock.counts(pool.get(best))) {
      prio[pool.get(best).lane()] = changeLabel[nextChange++];
      best = highest(pool);
    }
    clock.delivered(pool.get(best));
    return best;
  }

  private int highest(List<Envelope> pool) {
    int best = 0;
    Envelope b = pool.get(0);
    int pb = prio[b.lane()];
    for (int i = 1, n = pool.size(); i < n; i++) {
      Envelope a = pool.get(i);
      int pa = prio[a.lane()];
      if (pa > pb || (pa == pb && a.id() < b.id())) {
        best = i;
        b = a;
        pb = pa;
      }
    }
    return best;
  }
}
