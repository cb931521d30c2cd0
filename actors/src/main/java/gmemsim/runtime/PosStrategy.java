package gmemsim.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Partial order sampling (Yuan, Yang and Gu, "Partial Order Aware Concurrency Sampling", CAV
 * 2018), the basic POS: every message in flight gets a random priority when it is sent; the
 * highest goes next; once it has been delivered, every message still in flight that races with it
 * (here: is addressed to the same component, whose state the delivery just changed) draws a new
 * priority. Each partial order of racing steps is then sampled with a probability that does not
 * shrink with the number of independent steps around it, where a uniform scheduler's does.
 *
 * <p>A lane that retries (a yielding step) draws its priorities below every other lane's from then
 * on, as pct drops a spinner: a spin loop must let the lane it waits for go.
 */
public final class PosStrategy implements Strategy {
  private SplittableRandom rng;
  private final Map<Long, Double> prio = new HashMap<>();
  private boolean[] spinning;

  @Override
  public String name() {
    return "pos";
  }

  @Override
  public void beginRun(long runSeed, int components) {
    rng = new SplittableRandom(Seeds.mix(runSeed ^ 0x504f53L));
    prio.clear();
    spinning = new boolean[components];
  }

  private double draw(Envelope e) {
    double p = rng.nextDouble();
    return e.lane() < spinning.length && spinning[e.lane()] ? p - 1 : p;
  }

  @Override
  public int pick(List<Envelope> pool, long step) {
    int best = -1;
    double top = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < pool.size(); i++) {
      Envelope e = pool.get(i);
      Double p = prio.get(e.id());
      if (p == null) {
        p = draw(e);
        prio.put(e.id(), p);
      }
      if (p > top) {
        top = p;
        best = i;
      }
    }
    Envelope chosen = pool.get(best);
    prio.remove(chosen.id());
    for (Envelope e : pool) if (e != chosen && e.to() == chosen.to()) prio.put(e.id(), draw(e));
    return best;
  }

  @Override
  public void yielded(int lane) {
    if (lane < spinning.length) spinning[lane] = true;
  }
}
