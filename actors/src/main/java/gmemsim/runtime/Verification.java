package gmemsim.runtime;

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
 */
public record Verification(
    boolean finished, int preemptionBound, long complete, long stopped, long stepLimited, int deepest, int components) {

  /** The line a reviewer quotes, given whether any oracle fired. */
  public String statement(boolean fired) {
    String scope = preemptionBound < 0
        ? String.format("every interleaving (%,d classes, %,d runs)", complete, complete + stopped)
        : String.format("every schedule with at most %d preemption%s (%,d runs)", preemptionBound,
            preemptionBound == 1 ? "" : "s", complete + stopped);
    String size = String.format("; %d actors, at most %,d steps a run", components, deepest);
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
