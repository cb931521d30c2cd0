package gmemsim.runtime;

import java.util.List;

/**
 * pos on half the runs, pct on the other half, by the run seed (issue 26's strategy table):
 * partial order sampling finds most races in the fewest runs, but never the two liveness bugs
 * whose lane must be held back for a long stretch, which pct's priorities do. Taking both costs
 * at most twice the runs of the better one on any scenario and misses neither kind.
 */
public final class MixStrategy implements Strategy {
  private final Strategy pos = new PosStrategy();
  private final Strategy pct;
  private Strategy now;

  public MixStrategy(PctStrategy pct) {
    this.pct = pct;
  }

  @Override
  public String name() {
    return "mix";
  }

  @Override
  public void beginRun(long runSeed, int components) {
    now = (Seeds.mix(runSeed ^ 0x4d4958L) & 1) == 0 ? pos : pct;
    now.beginRun(runSeed, components);
  }

  @Override
  public int pick(List<Envelope> pool, long step) {
    return now.pick(pool, step);
  }

  @Override
  public void yielded(int lane) {
    now.yielded(lane);
  }
}
