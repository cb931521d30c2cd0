package gmemsim.cli;

import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.report.Outcome;
import gmemsim.report.ReplayFile;
import gmemsim.report.Summary;
import gmemsim.runtime.Finding;
import gmemsim.runtime.HuntResult;
import gmemsim.scenario.Scenario;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Writes a hunt's replay files and summary.json, prints the summary, returns the exit code. */
final class Results {
  private Results() {}

  static int write(Scenario s, HuntResult r, String runtime, int nodes, long maxSteps, Path dir)
      throws IOException {
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
              maxSteps,
              f.first(),
              ReplayFile.encode(f.schedule(), names))
          .write(file);
      replays.put(f.oracle(), file);
    }
    Outcome outcome = Outcome.evaluate(s, r.findings().keySet());
    Path summary = dir.resolve("summary.json");
    Summary.write(summary, Summary.build(s, r, runtime, nodes, outcome, replays, r.error()));
    print(s, r, runtime, nodes, outcome, replays, summary);
    return r.error() == null && outcome.matches() ? Main.MATCH : Main.MISMATCH;
  }

  private static void print(
      Scenario s, HuntResult r, String runtime, int nodes, Outcome outcome, Map<String, Path> replays, Path summary) {
    PrintStream out = System.out;
    out.printf(
        "gmemsim run %s: seed %d, strategy %s%s, runtime %s%s%n",
        s.name(), r.seed(), r.strategy(), r.pctK() > 0 ? " (k=" + r.pctK() + ")" : "", runtime,
        nodes > 1 ? ", " + nodes + " nodes" : "");
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
    if (runtime.equals("akka")) out.printf("  %,d model messages crossed nodes%n", r.crossNodeMessages());
    if (r.truncatedRuns() > 0) out.printf("  %,d run(s) hit run.max-steps%n", r.truncatedRuns());
    if (r.exposure() != null) {
      gmemsim.runtime.Exposure x = r.exposure();
      out.printf(
          "  exposure: guest-private data readable through the direct map in %,d of %,d runs;"
              + " %.1f steps per run on average, at most %,d in a run, %,d for one page%n",
          x.runsExposed(), x.runs(), x.meanStepsPerRun(), x.maxStepsInRun(), x.maxStepsPerPage());
    }
    if (r.error() != null) out.println("  ERROR: " + r.error());
    out.printf(
        "outcome: %s (%s)%nsummary: %s%n",
        r.error() != null ? "error" : outcome.matches() ? "matches expect" : "does NOT match expect",
        outcome.reason(),
        summary);
  }
}
