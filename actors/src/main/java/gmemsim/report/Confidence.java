package gmemsim.report;

import gmemsim.model.MachineBuilder;
import gmemsim.runtime.Finding;
import gmemsim.runtime.HuntResult;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a pct hunt's run count is worth (issue 14): PCT (Burckhardt et al., ASPLOS 2010) finds a bug
 * of depth d in one run with probability at least p = 1/(n·k^(d-1)), n the lanes pct orders and k
 * the run length it spreads its d-1 change points over, so after R runs a bug of depth at most d
 * was missed with probability at most (1-p)^R. The bound is a floor, usually far below the hit
 * rates seen; both are printed side by side.
 *
 * @param lanes n: every component is a lane pct gives a priority (a conservative count)
 */
public record Confidence(int lanes, long k, int depth, long runs, double perRun, double missed, Map<String, Double> hitRates) {
  /** Null unless the hunt used pct in the controlled runtime. */
  public static Confidence of(Scenario s, HuntResult r) {
    if (!r.strategy().equals("pct") || r.pctK() <= 0 || r.runs() == 0) return null;
    int n = MachineBuilder.build(s).components().size();
    int d = s.intValue(Knobs.PCT_DEPTH);
    double p = 1.0 / (n * Math.pow(r.pctK(), d - 1));
    double missed = Math.exp(r.runs() * Math.log1p(-p));
    Map<String, Double> rates = new LinkedHashMap<>();
    for (Finding f : r.findings().values()) rates.put(f.oracle(), f.count() / (double) r.runs());
    return new Confidence(n, r.pctK(), d, r.runs(), p, missed, rates);
  }

  /** Runs needed for the bound to reach {@code 1 - confidence}. */
  public long runsFor(double confidence) {
    return (long) Math.ceil(Math.log1p(-confidence) / Math.log1p(-perRun));
  }

  public String line() {
    StringBuilder b = new StringBuilder(String.format(
        "confidence (pct: n=%d lanes, k=%,d, d=%d, %,d runs): a bug of depth <= %d is missed with probability <= %.3g"
            + " (each run finds it with p >= %.2g; 99%% needs %,d runs)",
        lanes, k, depth, runs, depth, missed, perRun, runsFor(0.99)));
    hitRates.forEach((o, rate) -> b.append(String.format("; %s hit rate %.2g", o, rate)));
    return b.toString();
  }

  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("strategy", "pct");
    m.put("lanes", lanes);
    m.put("k", k);
    m.put("depth", depth);
    m.put("runs", runs);
    m.put("perRunLowerBound", perRun);
    m.put("missedUpperBound", missed);
    m.put("runsFor99", runsFor(0.99));
    m.put("hitRates", hitRates);
    return m;
  }
}
