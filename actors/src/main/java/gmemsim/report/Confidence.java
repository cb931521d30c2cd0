package gmemsim.report;

import gmemsim.runtime.Finding;
import gmemsim.runtime.HuntResult;
import gmemsim.scenario.Scenario;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a sampling hunt's run count is worth, in figures a reviewer can quote (issue 26). Runs are
 * independent draws of the strategy, so the runs an oracle fired in are binomial. A clean hunt
 * bounds the per-run hit rate of any bug this strategy can find: below 1 - 0.05^(1/R) at 95%
 * (exact; the rule of three, 3/R, approximates it). A finding gets its rate with an exact 95%
 * interval. Given the measured rates of the known-bad variants of the same scenario file (its
 * family), a clean hunt also says with what probability it would have found each of them.
 *
 * <p>The PCT floor this line used to print, 1/(n k^(d-1)), is kept in summary.json
 * ({@code pctFloor}): it is a valid bound and useless at these sizes.
 *
 * @param family the known-bad variants' rates, or null when none was measured
 */
public record Confidence(String strategy, long runs, Map<String, HitRate> hits, Family family, double pctFloor) {
  /** Null for a hunt with no run, or an exhaustive one (its verification says more). */
  public static Confidence of(Scenario s, HuntResult r, Family family) {
    if (r.runs() == 0 || r.verification() != null) return null;
    Map<String, HitRate> hits = new LinkedHashMap<>();
    for (Finding f : r.findings().values()) hits.put(f.oracle(), new HitRate(f.count(), r.runs()));
    double floor = 0;
    if (r.strategy().equals("pct") && r.pctK() > 0) {
      int n = gmemsim.model.MachineBuilder.build(s).components().size();
      floor = 1.0 / (n * Math.pow(r.pctK(), s.intValue(gmemsim.scenario.Knobs.PCT_DEPTH) - 1));
    }
    return new Confidence(r.strategy(), r.runs(), hits, family == null || family.isEmpty() ? null : family, floor);
  }

  public boolean clean() {
    return hits.isEmpty();
  }

  /** The upper bound (95%) on the per-run hit rate of any bug this strategy can find, after a clean hunt. */
  public double cleanUpper() {
    return new HitRate(0, runs).upper(HitRate.LEVEL);
  }

  /** The probability that this many runs would have found each known bug of the family. */
  public double familyFound() {
    return family == null ? 0 : family.foundEach(runs);
  }

  public String line() {
    StringBuilder b = new StringBuilder();
    if (clean()) {
      b.append(String.format("confidence: %,d clean runs of %s: any bug it can find hits fewer than %.2g of runs"
          + " (95%%, exact; rule of three 3/%,d = %.2g)", runs, strategy, cleanUpper(), runs, HitRate.ruleOfThree(runs)));
    } else {
      b.append(String.format("confidence: %,d runs of %s:", runs, strategy));
      String sep = " ";
      for (Map.Entry<String, HitRate> e : hits.entrySet()) {
        HitRate h = e.getValue();
        b.append(String.format("%s%s in %,d (%.2g of runs; 95%%: %.2g .. %.2g)", sep, e.getKey(), h.hits(), h.rate(),
            h.lower(0.975), h.upper(0.975)));
        sep = "; ";
      }
    }
    if (family != null && clean()) {
      Family.Member m = family.rarest();
      b.append(String.format("; it would have found each known bug of its family with probability >= %s (the rarest, %s's"
          + " %s, hits at least %.2g of runs at 95%%: %,d of %,d)", HitRate.found(runs, family.lowestRate()), m.variant(), m.oracle(),
          m.rate().lower(HitRate.LEVEL), m.rate().hits(), m.rate().runs()));
    }
    return b.toString();
  }

  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("strategy", strategy);
    m.put("runs", runs);
    m.put("level", HitRate.LEVEL);
    if (clean()) {
      m.put("cleanUpperBound", cleanUpper());
      m.put("ruleOfThree", HitRate.ruleOfThree(runs));
    }
    Map<String, Object> rates = new LinkedHashMap<>();
    hits.forEach((o, h) -> rates.put(o, Map.of("hits", h.hits(), "rate", h.rate(), "lower", h.lower(0.975), "upper", h.upper(0.975))));
    m.put("hitRates", rates);
    if (family != null) {
      Map<String, Object> f = new LinkedHashMap<>();
      for (Family.Member x : family.members()) {
        f.put(x.variant(), Map.of("oracle", x.oracle(), "hits", x.rate().hits(), "runs", x.rate().runs(),
            "lower", x.rate().lower(HitRate.LEVEL)));
      }
      m.put("family", f);
      if (clean()) m.put("familyFoundProbability", familyFound());
    }
    if (pctFloor > 0) m.put("pctFloor", pctFloor);
    return m;
  }
}
