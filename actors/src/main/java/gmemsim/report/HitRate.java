package gmemsim.report;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * A per-run hit rate seen as {@code hits} of {@code runs} independent runs, with its exact
 * (Clopper-Pearson) bounds: what a reviewer can quote of a sampling hunt. Runs of one hunt are
 * independent draws of the strategy (each run's seed is derived from the hunt's seed and its
 * index), so the count of runs an oracle fired in is binomial.
 */
public record HitRate(long hits, long runs) {
  /** The confidence every printed bound is given at. */
  public static final double LEVEL = 0.95;

  public double rate() {
    return runs == 0 ? 0 : hits / (double) runs;
  }

  /** The one-sided lower bound at {@code level}: the rate is at least this with that confidence. */
  public double lower(double level) {
    if (hits == 0 || runs == 0) return 0;
    if (hits == runs) return Math.pow(1 - level, 1.0 / runs);
    return new BetaDistribution(null, hits, runs - hits + 1).inverseCumulativeProbability(1 - level);
  }

  /**
   * The one-sided upper bound at {@code level}. With no hit it is 1 - (1 - level)^(1/runs), which
   * the rule of three (3/runs at 95%) approximates.
   */
  public double upper(double level) {
    if (runs == 0) return 1;
    if (hits == 0) return 1 - Math.pow(1 - level, 1.0 / runs);
    if (hits == runs) return 1;
    return new BetaDistribution(null, hits + 1, runs - hits).inverseCumulativeProbability(level);
  }

  /** The rule of three: with no hit in n runs, the rate is below 3/n at 95%. */
  public static double ruleOfThree(long runs) {
    return runs == 0 ? 1 : 3.0 / runs;
  }

  /** Runs after which a bug of per-run rate at least q is found with probability at least c. */
  public static long runsToFind(double q, double c) {
    if (q <= 0) return Long.MAX_VALUE;
    if (q >= 1) return 1;
    return (long) Math.ceil(Math.log1p(-c) / Math.log1p(-q));
  }

  /** A probability as a reviewer reads it: 0.990, or 1 - 1.4e-11 when it is that close to 1. */
  public static String probability(double p) {
    return p > 0.999 ? String.format("1 - %.2g", 1 - p) : String.format("%.3f", p);
  }

  /**
   * That n runs find a bug of per-run rate q, as a reviewer reads it. Near 1 it is written from the
   * chance of missing, worked out directly: 1 - p loses everything past double's 16 digits, which
   * printed "1 - 0.0".
   */
  public static String found(long n, double q) {
    double p = foundIn(n, q);
    if (p <= 0.999) return probability(p);
    double logMiss = n * Math.log1p(-Math.min(q, 1));
    if (logMiss < -700) return String.format("1 - 1e%d", (long) Math.ceil(logMiss / Math.log(10)));
    return String.format("1 - %.2g", Math.exp(logMiss));
  }

  /** The probability that n runs find a bug of per-run rate q at least once. */
  public static double foundIn(long n, double q) {
    return q <= 0 ? 0 : -Math.expm1(n * Math.log1p(-Math.min(q, 1)));
  }
}
