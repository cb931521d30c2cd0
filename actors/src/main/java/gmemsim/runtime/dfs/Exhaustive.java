package gmemsim.runtime.dfs;

import gmemsim.model.MachineBuilder;
import gmemsim.runtime.Coverage;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntBudget;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.RunResult;
import gmemsim.runtime.RunTally;
import gmemsim.runtime.Seeds;
import gmemsim.runtime.Verification;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;

/**
 * The controlled runtime's exhaustive search (run.strategy = dfs): runs of one scenario under
 * {@link DfsStrategy} until every schedule it must explore was explored or the budget ends. Every
 * run uses the same run seed, so the model's own random choices (fault injection,
 * get_random_u32_below) are fixed and the search is over schedules alone; a finding replays from
 * its recorded schedule, as one of any other strategy does.
 */
public final class Exhaustive {
  private Exhaustive() {}

  public static HuntResult run(Scenario s, Hunt.Options o, Hunt.Progress progress) {
    int bound = s.intValue(Knobs.PREEMPTION_BOUND);
    DfsStrategy dfs = new DfsStrategy(bound);
    long runSeed = Seeds.runSeed(o.seed(), 0);
    RunTally tally = new RunTally(System.nanoTime(), s.bool(Knobs.COVERAGE) ? new Coverage() : null, progress);
    HuntBudget budget = new HuntBudget(o, Long.MAX_VALUE);
    boolean finished = false;
    String error = null;
    while (budget.wants(tally.runs(), tally.ledger())) {
      RunResult r;
      try {
        r = Hunt.runOnce(s, runSeed, dfs, o.maxSteps(), null, tally.coverage());
      } catch (RuntimeException e) {
        error = "dfs run " + tally.runs() + " failed: " + e.getMessage();
        break;
      }
      tally.add(runSeed, r);
      if (!dfs.nextRun()) {
        finished = true;
        break;
      }
    }
    int components = MachineBuilder.build(s).components().size();
    Verification v = new Verification(finished, bound, dfs.complete(), dfs.sleepBlocked(), tally.truncated(), dfs.deepest(), components);
    return tally.result("dfs", o.seed(), 0, error, v);
  }
}
