package gmemsim.cli;

import gmemsim.model.MachineBuilder;
import gmemsim.oracle.Oracles;
import gmemsim.runtime.Hunt;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import gmemsim.scenario.ScenarioLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options {@code run} and {@code cluster} share (DESIGN §7). */
final class RunOptions {
  @Parameters(index = "0", paramLabel = "SCENARIO.conf", description = "scenario file")
  Path scenarioFile;

  @Option(names = "--seed", description = "seed the run seeds derive from (run.seed)")
  Long seed;

  @Option(names = "--strategy", description = "random | pct (run.strategy; controlled runtime)")
  String strategy;

  @Option(names = "--budget", description = "30s, 2m or 5000runs (run.budget)")
  String budget;

  @Option(names = "--set", paramLabel = "key=value", description = "override any scenario key")
  List<String> sets = new ArrayList<>();

  @Option(names = "--out", description = "output folder (default: out/<scenario name>)")
  Path out;

  @Option(names = "--quiet", description = "no progress lines")
  boolean quiet;

  @Option(names = "--stop-at-first", description = "stop after the first run in which an oracle fires")
  boolean stopAtFirst;

  Scenario load() {
    List<String> all = new ArrayList<>(sets);
    if (seed != null) all.add("run.seed=" + seed);
    if (strategy != null) {
      if (!Hunt.strategies().contains(strategy)) {
        throw new ScenarioException("--strategy " + strategy + ": not one of " + Hunt.strategies());
      }
      all.add("run.strategy=" + strategy);
    }
    if (budget != null) {
      try {
        all.add("run.budget=" + Budget.parse(budget));
      } catch (IllegalArgumentException e) {
        throw new ScenarioException("--budget: " + e.getMessage());
      }
    }
    Scenario s = new ScenarioLoader(Oracles.names()).load(scenarioFile, all);
    MachineBuilder.validate(s);
    return s;
  }

  Hunt.Options hunt(Scenario s) {
    return new Hunt.Options(
        s.longValue(Knobs.SEED),
        s.string(Knobs.STRATEGY),
        s.intValue(Knobs.PCT_DEPTH),
        s.budget(Knobs.BUDGET),
        s.intValue(Knobs.MAX_STEPS),
        stopAtFirst);
  }

  Path outDir(Scenario s) {
    return out != null ? out : Path.of("out", s.name());
  }

  Hunt.Progress progress() {
    PrintStream err = System.err;
    return quiet
        ? null
        : (runs, steps, ms, fired) ->
            err.printf(
                "gmemsim: %.1fs  %,d runs  %,d steps/s  %d oracle(s) fired%n",
                ms / 1000.0, runs, ms == 0 ? 0 : steps * 1000 / ms, fired);
  }
}
