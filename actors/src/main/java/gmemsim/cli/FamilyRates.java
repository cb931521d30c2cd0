package gmemsim.cli;

import gmemsim.report.Family;
import gmemsim.report.HitRate;
import gmemsim.runtime.Finding;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.RuntimeKind;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the hit rates of a scenario file's known-bad variants with the hunt's own strategy, for
 * --until-confidence: each is hunted, {@link #STEP} runs under each of the seeds from the hunt's
 * on, until its bug has been seen {@link #HITS} times or {@link #MAX_RUNS} runs have been made.
 */
final class FamilyRates {
  static final int HITS = 30;
  static final long MAX_RUNS = 20_000;
  private static final long STEP = 1_000;

  private FamilyRates() {}

  /** From a --variants run: the rows already hunted, nothing run again. */
  static Family of(List<Scenario> scenarios, List<HuntResult> results) {
    List<Family.Member> out = new ArrayList<>();
    for (int i = 0; i < scenarios.size(); i++) {
      Family.Member m = member(scenarios.get(i), results.get(i));
      if (m != null) out.add(m);
    }
    return new Family(out);
  }

  static Family measure(RunOptions run, RuntimeKind kind, Path file, Hunt.Options o) {
    List<Family.Member> out = new ArrayList<>();
    for (String v : RunOptions.variants(file)) {
      Scenario s = run.load(file, v);
      // A variant expected clean is not a known bug, whatever expect.violations it inherits.
      if (s.bool(Knobs.EXPECT_CLEAN) || s.oracles(Knobs.EXPECT_VIOLATIONS).isEmpty()) continue;
      // Hunts of STEP runs under seeds seed, seed + 1, ...: independent runs whose hits add up, so
      // no run is made twice, until the bug was seen HITS times or MAX_RUNS runs were made.
      String oracle = null;
      long hits = 0;
      long runs = 0;
      for (long round = 0; runs < MAX_RUNS && hits < HITS; round++) {
        Hunt.Options vo = new Hunt.Options(o.seed() + round, o.strategy(), o.pctDepth(), Budget.parse(STEP + "runs"),
            o.maxSteps());
        HuntResult r = kind.huntAlone(s, vo, null, com.typesafe.config.ConfigFactory.empty());
        Family.Member m = member(s, r);
        if (oracle == null) oracle = m.oracle();
        Finding f = r.findings().get(oracle);
        hits += f == null ? 0 : f.count();
        runs += r.runs();
      }
      out.add(new Family.Member(v, oracle, new HitRate(hits, runs)));
    }
    if (out.isEmpty()) {
      throw new ScenarioException("--until-confidence: " + file + " has no known-bad variant (a variants block entry with"
          + " expect.violations) to measure the rate of the bugs a clean hunt must be able to find");
    }
    return new Family(out);
  }

  /** A known-bad variant's bug as this hunt saw it, or null for a variant expected clean. */
  private static Family.Member member(Scenario s, HuntResult r) {
    List<String> expected = s.oracles(Knobs.EXPECT_VIOLATIONS);
    if (s.bool(Knobs.EXPECT_CLEAN) || expected.isEmpty() || r == null) return null;
    String best = expected.get(0);
    long hits = 0;
    for (String oracle : expected) {
      Finding f = r.findings().get(oracle);
      if (f != null && f.count() > hits) {
        hits = f.count();
        best = oracle;
      }
    }
    return new Family.Member(s.string(Knobs.VARIANT), best, new HitRate(hits, r.runs()));
  }
}
