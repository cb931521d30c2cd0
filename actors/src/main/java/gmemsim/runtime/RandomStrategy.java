package gmemsim.runtime;

import java.util.List;
import java.util.SplittableRandom;

/** Uniform choice among all in-flight messages. */
public final class RandomStrategy implements Strategy {
  private SplittableRandom rng;

  @Override
  public String name() {
    return "random";
  }

  @Override
  public void beginRun(long runSeed, int components) {
    rng = new SplittableRandom(Seeds.mix(runSeed ^ 0x52414e444f4dL));
  }

  @Override
  public int pick(List<Envelope> pool, long step) {
    return rng.nextInt(pool.size());
  }
}
