package gmemsim.runtime.dfs;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Knuth's estimate of a search's runs ("Estimating the efficiency of backtrack programs", Math.
 * Comp. 29, 1975), for run.dfs-estimate: a run made under it follows one open choice at every point
 * instead of backing up, and the product of 1/p over its draws is an unbiased estimate of the runs
 * the search makes. {@link DfsStrategy} builds its choice points as for a search and asks this for
 * the choice at each new one.
 */
final class KnuthProbe {
  private final int bound;
  private final SplittableRandom random;
  private double weight = 1;
  private long probes;
  private double weightSum;
  private double weightSquares;
  /**
   * Points that offered a preemption, by depth, summed over the probes; and its suffix sums, made
   * after each probe: how many such points the probes so far met at or after each depth.
   */
  private long[] preemptibleAt = new long[64];
  private double[] preemptibleFrom = new double[0];
  /** Choice points per probe, summed: the mean run length. */
  private double pointsSum;

  KnuthProbe(int bound, long seed) {
    this.bound = bound;
    this.random = new SplittableRandom(seed);
  }

  /**
   * Knuth's probe at a new point: one open choice, drawn with probability p, and the run's weight
   * divided by p, which keeps the estimate unbiased for any p. Drawn uniformly, a bounded probe
   * spends its preemptions at the first points and almost never sees the far larger subtrees that
   * keep them for later, so the mean misses them (480 runs estimated at 20 on guest-memfd-abi at
   * bound 1). Instead p follows the size each choice's subtree would have if R points still to come
   * each offered the a preemptions this point offers: sum over j <= b of C(R, j) a^j with b
   * preemptions left. Two readings of R each fail somewhere: every point left (the mean run length
   * of the probes so far) undersamples preemptions where runs are long stretches of one lane
   * (tdx-punch-hole-huge at bound 2: 2,155 runs, where a 10-minute search made 48,978 and did not
   * finish); only the points left that offer a preemption oversamples them elsewhere
   * (fault-vs-punch-hole at bound 2: 4,374 against 18,792). p is the even mixture of the two, so a
   * draw is never less than half as likely as under either (defensive importance sampling).
   */
  long draw(DfsStrategy.Node n, int pos) {
    int open = 0;
    int preempting = 0;
    for (int i = 0; i < n.enabled.length; i++) {
      if (n.open(i, bound)) {
        open++;
        if (n.cost(i) > 0) preempting++;
      }
    }
    if (open == 0) return DfsStrategy.NONE;
    if (!n.data && preempts(n)) {
      if (pos >= preemptibleAt.length) preemptibleAt = Arrays.copyOf(preemptibleAt, Math.max(pos + 1, preemptibleAt.length * 2));
      preemptibleAt[pos]++;
    }
    // R read two ways: the points left that offer a preemption, and every point left.
    int offering = probes == 0 ? 0 : (int) Math.max(1, Math.round(pos < preemptibleFrom.length ? preemptibleFrom[pos] / probes : 0));
    int points = probes == 0 ? 0 : (int) Math.max(1, Math.round(pointsSum / probes) - pos);
    double[] byOffering = sizes(n, offering, preempting);
    double[] byPoints = sizes(n, points, preempting);
    double[] w = new double[n.enabled.length];
    for (int i = 0; i < w.length; i++) w[i] = byOffering[i] + byPoints[i];
    double total = 2;
    double x = random.nextDouble() * total;
    int pick = -1;
    for (int i = 0; i < n.enabled.length; i++) {
      if (w[i] == 0) continue;
      pick = i;
      if ((x -= w[i]) < 0) break;
    }
    weight *= total / w[pick];
    return n.enabled[pick];
  }

  /** Each open choice's share of the subtree sizes sum_{j<=b} C(r, j) a^j (equal shares before any probe or without a bound). */
  private double[] sizes(DfsStrategy.Node n, int r, int a) {
    double[] w = new double[n.enabled.length];
    double total = 0;
    for (int i = 0; i < w.length; i++) {
      if (!n.open(i, bound)) continue;
      w[i] = bound < 0 || probes == 0 ? 1 : subtree(bound - n.preemptions - n.cost(i), r, a);
      total += w[i];
    }
    for (int i = 0; i < w.length; i++) w[i] /= total;
    return w;
  }

  /** Whether some choice at n would preempt, within the bound or not. */
  private static boolean preempts(DfsStrategy.Node n) {
    for (int i = 0; i < n.enabled.length; i++) if (n.cost(i) > 0) return true;
    return false;
  }

  /** sum_{j=0..b} C(r, j) a^j: the leaves of r points that each offer a preemptions, b of them allowed. */
  static double subtree(int b, int r, int a) {
    double sum = 0;
    double term = 1;
    for (int j = 0; j <= b && j <= r; j++) {
      sum += term;
      term = term * (r - j) / (j + 1) * Math.max(1, a);
    }
    return sum;
  }

  /** A probe ended after {@code points} choice points: its weight counts, and the next starts at 1. */
  void endRun(int points) {
    probes++;
    weightSum += weight;
    weightSquares += weight * weight;
    if (preemptibleFrom.length < preemptibleAt.length) preemptibleFrom = new double[preemptibleAt.length];
    pointsSum += points;
    double sum = 0;
    for (int i = preemptibleAt.length - 1; i >= 0; i--) preemptibleFrom[i] = sum += preemptibleAt[i];
    weight = 1;
  }

  /** Probes made, and the mean and sample variance of their weights (the estimate and its spread). */
  long probes() {
    return probes;
  }

  double meanWeight() {
    return probes == 0 ? 0 : weightSum / probes;
  }

  double weightVariance() {
    if (probes < 2) return 0;
    double m = meanWeight();
    return Math.max(0, (weightSquares - probes * m * m) / (probes - 1));
  }
}
