package gmemsim.report;

import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether what a hunt found matches the scenario's {@code expect} block: with {@code
 * expect.clean} nothing may fire; otherwise every oracle of {@code expect.violations} must fire
 * and nothing outside {@code expect.violations} and {@code expect.may-also} may.
 */
public record Outcome(boolean matches, String reason) {
  public static Outcome evaluate(Scenario s, Set<String> fired) {
    return evaluate(s, fired, null);
  }

  /**
   * As {@link #evaluate(Scenario, Set)}, and every window of {@code expect.windows} must have been
   * opened in some run: a hunt that never reached the race it is about proves nothing, clean or not.
   *
   * @param coverage the hunt's coverage, or null where it is not measured (the akka runtime)
   */
  public static Outcome evaluate(Scenario s, Set<String> fired, gmemsim.runtime.Coverage coverage) {
    List<String> windows = s.strings(Knobs.EXPECT_WINDOWS);
    String unchecked = "";
    if (!windows.isEmpty() && coverage == null && !s.bool(Knobs.EXPECT_CLEAN)) {
      // The violations the scenario expects are evidence of their own; only "clean" needs the
      // windows as evidence that the race was tried, and without coverage it has none.
      unchecked = " (expect.windows not checked: no coverage in this runtime)";
    } else if (!windows.isEmpty()) {
      if (coverage == null) {
        return new Outcome(false, "window not reached: expect.windows needs coverage (the controlled runtime, run.coverage = true)");
      }
      List<String> missing = windows.stream().filter(w -> coverage.windowRuns(w) == 0).toList();
      if (!missing.isEmpty()) {
        // A violation the hunt had to find and did not is said first: it is what the user looks for.
        List<String> notFound = new ArrayList<>(s.oracles(Knobs.EXPECT_VIOLATIONS));
        notFound.removeAll(fired);
        String also = s.bool(Knobs.EXPECT_CLEAN) || notFound.isEmpty() ? "" : "expected " + notFound + " did not fire; ";
        return new Outcome(false, also + "window not reached: " + String.join("; ", missing));
      }
    }
    if (s.bool(Knobs.EXPECT_CLEAN)) {
      return fired.isEmpty()
          ? new Outcome(true, "clean, as expected")
          : new Outcome(false, "expected clean, but " + fired + " fired");
    }
    List<String> problems = new ArrayList<>();
    List<String> expected = s.oracles(Knobs.EXPECT_VIOLATIONS);
    Set<String> missing = new LinkedHashSet<>(expected);
    missing.removeAll(fired);
    if (!missing.isEmpty()) problems.add("expected " + missing + " did not fire");
    Set<String> extra = new LinkedHashSet<>(fired);
    extra.removeAll(expected);
    extra.removeAll(s.oracles(Knobs.EXPECT_MAY_ALSO));
    if (!extra.isEmpty()) problems.add("unexpected " + extra + " fired");
    if (problems.isEmpty()) {
      return new Outcome(
          true,
          expected.isEmpty() && fired.isEmpty()
              ? "nothing fired and nothing was expected"
              : "found " + fired + ", as expected" + unchecked);
    }
    return new Outcome(false, String.join("; ", problems) + unchecked);
  }
}
