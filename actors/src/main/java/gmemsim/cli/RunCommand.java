package gmemsim.cli;

import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.oracle.Oracles;
import gmemsim.report.Outcome;
import gmemsim.report.ReplayFile;
import gmemsim.report.Summary;
import gmemsim.runtime.Finding;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import gmemsim.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gmemsim run}: hunt a scenario for violations within a budget. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Hunt a scenario for races.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SCENARIO.conf", description = "scenario file")
  Path scenarioFile;

  @Option(names = "--seed", description = "seed the run seeds derive from (run.seed)")
  Long seed;

  @Option(names = "--strategy", description = "random | pct (run.strategy)")
  String strategy;

  @Option(names = "--runtime", defaultValue = "controlled", description = "controlled | akka")
  String runtime;

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

  @Override
  public Integer call() throws IOException {
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
    if (!runtime.equals("controlled")) {
      throw new ScenarioException(
          "--runtime " + runtime + ": only the controlled runtime is built so far");
    }
    Path dir = out != null ? out : Path.of("out", s.name());
    PrintStream err = System.err;
    Hunt.Options o =
        new Hunt.Options(
            s.longValue(Knobs.SEED),
            s.string(Knobs.STRATEGY),
            s.intValue(Knobs.PCT_DEPTH),
            s.budget(Knobs.BUDGET),
            s.intValue(Knobs.MAX_STEPS),
            stopAtFirst);
    HuntResult r =
        Hunt.run(
            s,
            o,
            quiet
                ? null
                : (runs, steps, ms, fired) ->
                    err.printf(
                        "gmemsim: %.1fs  %,d runs  %,d steps/s  %d oracle(s) fired%n",
                        ms / 1000.0, runs, ms == 0 ? 0 : steps * 1000 / ms, fired));

    Machine m = MachineBuilder.build(s);
    List<String> names = IntStream.range(0, m.size()).mapToObj(m::name).toList();
    Map<String, Path> replays = new LinkedHashMap<>();
    for (Finding f : r.findings().values()) {
      Path file = dir.resolve("replays").resolve(f.oracle() + ".json");
      new ReplayFile(
              ReplayFile.FORMAT,
              s.source(),
              s.name(),
              s.effective(),
              r.seed(),
              r.strategy(),
              r.pctK(),
              runtime,
              f.firstRun(),
              f.firstRunSeed(),
              o.maxSteps(),
              f.first(),
              ReplayFile.encode(f.schedule(), names))
          .write(file);
      replays.put(f.oracle(), file);
    }
    Outcome outcome = Outcome.evaluate(s, r.findings().keySet());
    Path summary = dir.resolve("summary.json");
    Summary.write(summary, Summary.build(s, r, runtime, 1, outcome, replays, r.error()));
    print(s, r, outcome, replays, summary);
    return r.error() == null && outcome.matches() ? Main.MATCH : Main.MISMATCH;
  }

  private static void print(
      Scenario s, HuntResult r, Outcome outcome, Map<String, Path> replays, Path summary) {
    PrintStream out = System.out;
    out.printf(
        "gmemsim run %s: seed %d, strategy %s%s, runtime controlled%n",
        s.name(), r.seed(), r.strategy(), r.pctK() > 0 ? " (k=" + r.pctK() + ")" : "");
    out.printf(
        "  %,d runs, %,d steps in %.1f s: %,.0f steps/s, %,.0f runs/s%n",
        r.runs(), r.steps(), r.elapsedMs() / 1000.0, r.stepsPerSec(), r.runsPerSec());
    if (r.findings().isEmpty()) out.println("  no oracle fired");
    for (Finding f : r.findings().values()) {
      out.printf(
          "  %-16s fired in %,d run(s); first in run %d at step %d, %d ms in%n",
          f.oracle(), f.count(), f.firstRun(), f.first().step(), f.timeToFirstMs());
      out.printf("  %-16s %s%n", "", f.first().message());
      out.printf("  %-16s replay: ./gmemsim replay %s%n", "", replays.get(f.oracle()));
    }
    if (r.truncatedRuns() > 0) out.printf("  %,d run(s) hit run.max-steps%n", r.truncatedRuns());
    if (r.error() != null) out.println("  ERROR: " + r.error());
    out.printf(
        "outcome: %s (%s)%nsummary: %s%n",
        r.error() != null ? "error" : outcome.matches() ? "matches expect" : "does NOT match expect",
        outcome.reason(),
        summary);
  }
}
