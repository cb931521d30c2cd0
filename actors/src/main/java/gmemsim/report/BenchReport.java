package gmemsim.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * {@code gmemsim bench}: per strategy, how fast hunts over a range of seeds find their first
 * violation, and how fast they step. Percentiles come from HdrHistogram (3 significant digits, so
 * a figure is exact to 0.1%), the value at the percentile (the median of 20 seeds is the 10th
 * smallest). A seed that did not find the oracle within its budget counts as slower than every
 * seed that did, so a percentile that lands on one reads "not found", never a made-up figure.
 */
public final class BenchReport {
  /**
   * One seed's hunt.
   *
   * @param runsToFirst runs up to and including the first in which the oracle fired (-1: none)
   * @param msToFirst wall time from the hunt's start (pct's calibration included) to then (-1)
   */
  public record SeedResult(
      String strategy, long seed, long runsToFirst, long msToFirst, long runs, long steps, long elapsedMs, String error) {
    public boolean found() {
      return runsToFirst >= 0;
    }
  }

  /** One strategy over all seeds; null percentiles mean the percentile fell on a seed that found nothing. */
  public record Row(
      String strategy,
      int seeds,
      int found,
      Long medianRuns,
      Long p90Runs,
      Double medianSeconds,
      Double p90Seconds,
      double stepsPerSec,
      double runsPerSec) {}

  private static final long NOT_FOUND = Long.MAX_VALUE / 4;

  private BenchReport() {}

  public static Row row(String strategy, List<SeedResult> seeds) {
    List<SeedResult> mine = seeds.stream().filter(r -> r.strategy().equals(strategy)).toList();
    long steps = mine.stream().mapToLong(SeedResult::steps).sum();
    long runs = mine.stream().mapToLong(SeedResult::runs).sum();
    long ms = mine.stream().mapToLong(SeedResult::elapsedMs).sum();
    Histogram byRuns = histogram(mine, SeedResult::runsToFirst);
    Histogram byMs = histogram(mine, SeedResult::msToFirst);
    return new Row(
        strategy,
        mine.size(),
        (int) mine.stream().filter(SeedResult::found).count(),
        at(byRuns, 50),
        at(byRuns, 90),
        seconds(at(byMs, 50)),
        seconds(at(byMs, 90)),
        ms == 0 ? 0 : steps * 1000.0 / ms,
        ms == 0 ? 0 : runs * 1000.0 / ms);
  }

  private static Histogram histogram(List<SeedResult> rs, ToLongFunction<SeedResult> f) {
    Histogram h = new Histogram(3);
    h.setAutoResize(true);
    for (SeedResult r : rs) h.recordValue(r.found() ? f.applyAsLong(r) : NOT_FOUND);
    return h;
  }

  private static Long at(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) return null;
    long v = h.getValueAtPercentile(percentile);
    return v >= h.lowestEquivalentValue(NOT_FOUND) ? null : v;
  }

  private static Double seconds(Long ms) {
    return ms == null ? null : ms / 1000.0;
  }

  /** The Markdown table the command prints and RESULTS.md quotes. */
  public static String markdown(String scenario, String oracle, String budget, List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(
        "Time to the first `%s` on `%s`, per seed budget %s (median and p90 over seeds):%n%n", oracle, scenario, budget));
    b.append("| strategy | seeds | found | runs to first: median | p90 | seconds to first: median | p90 | steps/s | runs/s |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT,
          "| %s | %d | %d | %s | %s | %s | %s | %,.0f | %,.0f |%n",
          r.strategy(), r.seeds(), r.found(), count(r.medianRuns(), budget), count(r.p90Runs(), budget),
          secs(r.medianSeconds(), budget), secs(r.p90Seconds(), budget), r.stepsPerSec(), r.runsPerSec()));
    }
    return b.toString();
  }

  private static String count(Long v, String budget) {
    return v == null ? "not found in " + budget : String.format(Locale.ROOT, "%,d", v);
  }

  private static String secs(Double v, String budget) {
    return v == null ? "not found in " + budget : String.format(Locale.ROOT, "%.2f", v);
  }

  public static void writeJson(
      Path file, Map<String, Object> header, List<Row> rows, List<SeedResult> seeds) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>(header);
    m.put("strategies", rows);
    m.put("seeds", new ArrayList<>(seeds));
    Files.createDirectories(file.toAbsolutePath().getParent());
    ReplayFile.JSON.writeValue(file.toFile(), m);
  }
}
