package gmemsim.runtime;

import java.util.List;

/**
 * What an exhaustive search (strategy dfs) can say of a scenario: whether it explored everything
 * it set out to, in how many runs, and what a reviewer can quote from it.
 *
 * @param finished every schedule (or class of them) was explored before the budget ended
 * @param preemptionBound the bound the search kept to, -1 for none
 * @param complete runs that completed a schedule (one per class of equivalent interleavings without a bound)
 * @param stopped runs stopped once all that was left of them was equivalent to a run already made
 * @param stepLimited runs cut at run.max-steps: nothing is claimed past that length
 * @param deepest the most scheduled steps a run took
 * @param components the machine's components (actors)
 * @param claim the answer to a claimed interleaving, or null
 * @param frontier where to go on from when the budget ended first, or null
 * @param shard "" for the whole search, else which part of it this was ("shard 2 of 4: 37 of 148 pieces ...")
 * @param data "" when the model's open choices were searched too, else the data the schedules were searched for
 * @param estimate the search's estimated size when it was estimated instead of made (run.dfs-estimate), else null
 */
public record Verification(
    boolean finished, int preemptionBound, long complete, long stopped, long stepLimited, int deepest, int components,
    ClaimAnswer claim, gmemsim.runtime.dfs.Frontier frontier, String shard, String data, Estimate estimate) {

  public Verification(boolean finished, int preemptionBound, long complete, long stopped, long stepLimited, int deepest,
      int components, ClaimAnswer claim, gmemsim.runtime.dfs.Frontier frontier, String shard, String data) {
    this(finished, preemptionBound, complete, stopped, stepLimited, deepest, components, claim, frontier, shard, data, null);
  }

  /**
   * Knuth's estimate of a search's runs from random paths down its tree.
   *
   * @param probes the paths walked
   * @param runs the mean of their weights: the estimated runs of the search
   * @param halfWidth 1.96 standard errors of that mean (the estimator's weights are heavy-tailed, so
   *     this understates the spread when few probes reach the rare deep subtrees)
   * @param runsPerSecond the rate of the second half of the probes (a search makes runs of the same
   *     length, once warmed up rather faster)
   * @param sleepSets whether the search has sleep sets, which the probes do not apply (then the estimate is an upper bound)
   */
  public record Estimate(long probes, double runs, double halfWidth, double runsPerSecond, boolean sleepSets) {
    String statement(int bound, String size) {
      String of = bound < 0 ? "every schedule, without sleep sets (an upper bound on the sleep-set search)"
          : "every schedule with at most " + bound + " preemption" + (bound == 1 ? "" : "s");
      double seconds = runsPerSecond > 0 ? runs / runsPerSecond : Double.NaN;
      return String.format("not searched: estimated at %s runs for %s (Knuth's estimator over %,d random paths; 95%% of"
          + " the mean: %s .. %s); at the later probes' %,.0f runs/s, %s on one core", big(runs), of, probes,
          big(Math.max(0, runs - halfWidth)), big(runs + halfWidth), runsPerSecond, duration(seconds)) + size;
    }

    static String big(double x) {
      if (x < 1e6) return String.format("%,.0f", x);
      return String.format("%.2g", x).replace("e+0", "e").replace("e+", "e");
    }

    static String duration(double s) {
      if (Double.isNaN(s)) return "time unknown";
      if (s < 120) return String.format("about %.0f s", s);
      if (s < 7200) return String.format("about %.0f minutes", s / 60);
      if (s < 2 * 86400) return String.format("about %.0f hours", s / 3600);
      if (s < 2 * 365 * 86400) return String.format("about %.0f days", s / 86400);
      return "about " + big(s / (365 * 86400)) + " years";
    }
  }

  public Verification(boolean finished, int preemptionBound, long complete, long stopped, long stepLimited, int deepest,
      int components, String data) {
    this(finished, preemptionBound, complete, stopped, stepLimited, deepest, components, null, null, "", data, null);
  }

  /**
   * The answer to a reviewer's claimed interleaving (run.schedule).
   *
   * @param steps the claimed steps, as written
   * @param reached whether a run made them all in order (then {@code run} is the first such run)
   * @param consistent the runs that made them all in order
   * @param most the most claimed steps any run made in order
   * @param state where each actor was when the run that got furthest ended
   * @param end why that run ended
   */
  public record ClaimAnswer(List<String> steps, boolean reached, long run, long consistent, int most, List<String> state,
      String end) {
    public String statement(boolean finished, boolean fired, int bound) {
      String searched = bound < 0 ? "every interleaving searched" : "every interleaving with at most " + bound + " preemption"
          + (bound == 1 ? "" : "s") + " searched";
      if (reached) {
        String scope = String.format("%,d interleaving%s make%s the %d claimed steps in the claimed order (first: run %,d)",
            consistent, consistent == 1 ? "" : "s", consistent == 1 ? "s" : "", steps.size(), run);
        if (fired) return "schedule: reachable and harmful: " + scope + "; what fired in them is above";
        return "schedule: reachable" + (finished ? " and harmless: " : ": ") + scope + (finished
            ? "; no oracle fired in any of them (" + searched + ")" : "; no oracle fired in those explored before the budget ended");
      }
      if (!finished) {
        return String.format("schedule: not decided: the budget ended before the search did; the furthest run made %d of"
            + " the %d claimed steps", most, steps.size());
      }
      StringBuilder b = new StringBuilder(String.format("schedule: unreachable (%s): no interleaving makes the %d claimed"
          + " steps in the claimed order. The furthest made %d (", searched, steps.size(), most));
      b.append(most == 0 ? "none" : String.join("; ", steps.subList(0, most))).append("); then '").append(steps.get(most))
          .append("' never came: ").append(end).append(". Where each actor was:");
      for (String s : state) b.append("\n    ").append(s);
      return b.toString();
    }
  }

  /** The answer to the claimed interleaving, given whether any oracle fired in the runs that made it. */
  public String claimStatement(boolean fired) {
    return claim.statement(finished, fired, preemptionBound);
  }

  /** The line a reviewer quotes, given whether any oracle fired. */
  public String statement(boolean fired) {
    String scope = preemptionBound < 0
        ? String.format("every interleaving (%,d classes, %,d runs)", complete, complete + stopped)
        : String.format("every schedule with at most %d preemption%s (%,d runs)", preemptionBound,
            preemptionBound == 1 ? "" : "s", complete + stopped);
    String size = String.format("; %d actors, at most %,d steps a run", components, deepest) + data
        + (shard.isEmpty() ? "" : "; " + shard + ": the other shards' runs complete the search");
    if (estimate != null) return estimate.statement(preemptionBound, size) + (fired ? "; oracles fired in probes (findings above)" : "");
    if (!shard.isEmpty()) return "this shard of the search: " + plain(fired, scope, size);
    return plain(fired, scope, size);
  }

  private String plain(boolean fired, String scope, String size) {
    if (!finished) {
      return String.format("not verified: the budget ended after %,d runs, before the search did", complete + stopped) + size;
    }
    if (fired) return "explored " + scope + size + "; oracles fired (findings above)";
    if (stepLimited > 0) {
      return "explored " + scope + size + ", but " + String.format("%,d", stepLimited)
          + " runs reached run.max-steps: not verified past that length";
    }
    return (preemptionBound < 0 ? "verified: " : "verified up to " + preemptionBound + " preemption"
        + (preemptionBound == 1 ? "" : "s") + ": ") + scope + " explored, no oracle fired" + size;
  }
}
