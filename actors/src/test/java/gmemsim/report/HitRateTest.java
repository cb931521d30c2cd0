package gmemsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures the confidence line quotes, against textbook values. */
class HitRateTest {
  @Test
  void noHitBoundsTheRateAsTheRuleOfThreeSays() {
    HitRate r = new HitRate(0, 100);
    assertEquals(1 - Math.pow(0.05, 0.01), r.upper(0.95), 1e-12);
    assertEquals(0.0295, r.upper(0.95), 1e-4);
    assertEquals(0.03, HitRate.ruleOfThree(100), 1e-12);
    assertEquals(0, r.lower(0.95));
  }

  @Test
  void tenOfAHundredHasTheClopperPearsonInterval() {
    // The exact two-sided 95% interval of 10/100: 0.0490 .. 0.1762 (Clopper and Pearson, 1934; any table).
    HitRate r = new HitRate(10, 100);
    assertEquals(0.0490, r.lower(0.975), 1e-4);
    assertEquals(0.1762, r.upper(0.975), 1e-4);
    assertEquals(0.1, r.rate(), 1e-12);
  }

  @Test
  void runsToFindAndFoundInAreInverse() {
    long n = HitRate.runsToFind(0.001, 0.99);
    assertEquals(4603, n);
    assertTrue(HitRate.foundIn(n, 0.001) >= 0.99);
    assertTrue(HitRate.foundIn(n - 1, 0.001) < 0.99);
    assertEquals(Long.MAX_VALUE, HitRate.runsToFind(0, 0.99));
  }

  @Test
  void theFamilyIsAsStrongAsItsRarestBug() {
    Family f = new Family(List.of(
        new Family.Member("often", "stale-mapping", new HitRate(500, 1000)),
        new Family.Member("rare", "use-after-free", new HitRate(30, 10_000))));
    assertEquals("rare", f.rarest().variant());
    assertEquals(new HitRate(30, 10_000).lower(0.95), f.lowestRate(), 1e-15);
    assertEquals(HitRate.foundIn(5000, f.lowestRate()), f.foundEach(5000), 1e-15);
    assertEquals("1 - 1.0e-05", HitRate.probability(1 - 1e-5));
    assertEquals("0.500", HitRate.probability(0.5));
  }

  @Test
  void aProbabilityCloserToOneThanADoubleHoldsIsWrittenFromItsMiss() {
    // 67,178 clean runs against a bug hitting 0.0067 of runs: a miss of 7.4e-197, which 1 - p loses.
    assertEquals("1 - 7.4e-197", HitRate.found(67_178, 0.0067));
    // 200,000 runs: a miss of 10^-583.9, below the smallest double, written as the power of ten above it.
    assertEquals("1 - 1e-583", HitRate.found(200_000, 0.0067));
    assertEquals("1 - 4.2e-05", HitRate.found(1500, 0.0067));
    assertEquals(HitRate.probability(HitRate.foundIn(100, 0.0067)), HitRate.found(100, 0.0067));
  }
}
