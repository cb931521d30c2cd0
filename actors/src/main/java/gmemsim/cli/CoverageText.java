package gmemsim.cli;

import gmemsim.report.Confidence;
import gmemsim.runtime.Coverage;
import gmemsim.runtime.HuntResult;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The coverage block of a run's summary (issue 14): the decisions paths and replies took with
 * the runs each was seen in, outcomes possible but never seen, the race windows the scenario names
 * and the most opened others, and pct's confidence bound. summary.json has every count.
 */
final class CoverageText {
  private static final int TOP_WINDOWS = 6;

  private CoverageText() {}

  static void print(PrintWriter out, Scenario s, HuntResult r, double untilConfidence, gmemsim.report.Family family) {
    Coverage c = r.coverage();
    Map<String, Map<String, Long>> outcomes = c.outcomes();
    out.printf("  coverage over %,d runs: %,d kinds of step, %,d race windows opened%n",
        c.runs(), outcomes.size(), c.windows().size());
    for (Map.Entry<String, Map<String, Long>> e : outcomes.entrySet()) {
      if (!declared(e.getKey(), c)) continue;
      List<String> parts = new ArrayList<>();
      e.getValue().forEach((o, n) -> parts.add(String.format("%s in %,d", o, n)));
      out.printf("    %s -> %s run(s)%n", e.getKey(), String.join(", ", parts));
    }
    c.neverSeen().forEach((step, missing) -> out.printf("    never seen: %s -> %s%n", step, String.join(", ", missing)));
    for (String path : c.neverRan()) out.printf("    never ran: %s%n", path);
    c.neverReached().forEach((path, points) -> out.printf("    never reached: %s at %s%n", path, String.join(", ", points)));
    List<String> named = s.strings(Knobs.EXPECT_WINDOWS);
    for (String w : named) out.printf("    window %s: opened in %,d run(s)%n", w, c.windowRuns(w));
    List<Map.Entry<String, Long>> all = c.windowList();
    int shown = 0;
    for (Map.Entry<String, Long> w : all) {
      if (shown++ == TOP_WINDOWS) break;
      out.printf("    window %s in %,d run(s)%n", w.getKey(), w.getValue());
    }
    if (all.size() > TOP_WINDOWS) out.printf("    (%,d more window/step pairs in summary.json)%n", all.size() - TOP_WINDOWS);
    Confidence conf = Confidence.of(s, r, family);
    if (conf != null) out.printf("  %s%n", conf.line());
    if (conf != null && untilConfidence > 0 && conf.clean()) {
      long need = family == null ? Long.MAX_VALUE : gmemsim.report.HitRate.runsToFind(family.lowestRate(), untilConfidence);
      out.printf("  --until-confidence %s: %s%n", untilConfidence, r.runs() >= need
          ? String.format("reached after %,d runs", r.runs())
          : need == Long.MAX_VALUE ? "NOT reached: no known-bad variant of the family was seen to fire, so no rate to reach"
          : String.format("NOT reached: the budget ran out after %,d of the %,d runs it needs", r.runs(), need));
    }
  }

  /** Steps whose outcomes are decisions someone declared (the rest are counted in summary.json). */
  private static boolean declared(String step, Coverage c) {
    return c.declared(step);
  }
}
