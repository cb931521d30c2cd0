package gmemsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.report.BenchReport.Row;
import gmemsim.report.BenchReport.SeedResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench statistics: percentiles over seeds, and seeds that found nothing. */
class BenchReportTest {
  private static SeedResult seed(long s, long runs, long ms) {
    return new SeedResult("pct", s, runs, ms, Math.max(runs, 1000), 2_000_000, 1000, null);
  }

  @Test
  void medianAndP90AreTheValuesAtThosePercentiles() {
    List<SeedResult> rs = new ArrayList<>();
    for (long s = 1; s <= 20; s++) rs.add(seed(s, s * 100, s * 10));
    Row r = BenchReport.row("pct", rs);
    assertEquals(20, r.found());
    assertEquals(1000, r.medianRuns());
    assertEquals(1800, r.p90Runs());
    assertEquals(0.1, r.medianSeconds(), 1e-9);
    assertEquals(0.18, r.p90Seconds(), 1e-9);
    assertEquals(2_000_000, r.stepsPerSec(), 1e-6);
  }

  @Test
  void aPercentileOnASeedThatFoundNothingIsNotFound() {
    List<SeedResult> rs = new ArrayList<>();
    for (long s = 1; s <= 10; s++) rs.add(seed(s, s <= 6 ? s * 100 : -1, s <= 6 ? s * 10 : -1));
    Row r = BenchReport.row("pct", rs);
    assertEquals(6, r.found());
    assertEquals(500, r.medianRuns());
    assertNull(r.p90Runs());
    assertNull(r.p90Seconds());
    String md = BenchReport.markdown("x", "wrong-folio-ref", "60s", List.of(r));
    assertTrue(md.contains("| pct | 10 | 6 | 500 | not found in 60s | 0.05 | not found in 60s |"), md);
  }

  @Test
  void otherStrategiesDoNotCount() {
    List<SeedResult> rs = new ArrayList<>(List.of(seed(1, 100, 10)));
    rs.add(new SeedResult("random", 1, 99_999, 9_999, 99_999, 1, 1, null));
    assertEquals(100, BenchReport.row("pct", rs).medianRuns());
  }
}
