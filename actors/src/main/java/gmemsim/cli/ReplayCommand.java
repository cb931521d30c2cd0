package gmemsim.cli;

import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.oracle.Oracles;
import gmemsim.oracle.Violation;
import gmemsim.report.ReplayFile;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.ReplayStrategy;
import gmemsim.runtime.RunResult;
import gmemsim.scenario.Knob;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import gmemsim.trace.TextTrace;
import gmemsim.trace.TraceRecorder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gmemsim replay}: re-execute a recorded run step for step and print its trace. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Re-execute a recorded violation and print its trace; exit 0 if it reproduces.")
final class ReplayCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "a replay file from gmemsim run")
  Path file;

  @Option(names = "--full", description = "print every step (no shortening of repeated steps)")
  boolean full;

  @Override
  public Integer call() {
    ReplayFile rf;
    try {
      rf = ReplayFile.read(file);
    } catch (IOException e) {
      throw new Main.BadInput(file + ": not a readable replay file: " + e.getMessage(), e);
    }
    Scenario s = new ScenarioLoader(Oracles.names()).fromEffective(rf.knobs(), file.toString());
    Machine m = MachineBuilder.build(s);
    List<String> names = IntStream.range(0, m.size()).mapToObj(m::name).toList();
    long[] schedule;
    try {
      schedule = ReplayFile.decode(rf.schedule(), names);
    } catch (IllegalArgumentException e) {
      throw new Main.BadInput(file + ": " + e.getMessage(), e);
    }
    PrintStream out = System.out;
    Violation want = rf.violation();
    out.printf(
        "replay of %s (%s): run %d of seed %d, strategy %s, %d steps%n",
        rf.scenario(), rf.scenarioFile(), rf.run(), rf.seed(), rf.strategy(), schedule.length);
    out.println("knobs that differ from the defaults:");
    Map<String, Object> defaults =
        new ScenarioLoader(Oracles.names()).fromEffective(Map.of(), "defaults").effective();
    for (Knob k : Knobs.all().values()) {
      Object v = s.effective().get(k.key());
      if (!Objects.equals(v, defaults.get(k.key())) && k != Knobs.DESCRIPTION && k != Knobs.NAME) {
        out.printf("  %s = %s%n", k.key(), v);
      }
    }
    out.printf("recorded: %s at step %d: %s%n%n", want.oracle(), want.step(), want.message());

    TraceRecorder rec = new TraceRecorder();
    RunResult r;
    try {
      r = Hunt.runOnce(s, rf.runSeed(), new ReplayStrategy(schedule), rf.maxSteps(), rec);
    } catch (ReplayStrategy.ScheduleDivergence e) {
      out.print(TextTrace.format(rec.lines(), rec.atEnd(), want, full));
      out.println("NOT reproduced: " + e.getMessage());
      return Main.MISMATCH;
    }
    out.print(TextTrace.format(rec.lines(), rec.atEnd(), want, full));
    Violation got =
        r.violations().stream().filter(v -> v.oracle().equals(want.oracle())).findFirst().orElse(null);
    out.println();
    if (got != null && got.step() == want.step()) {
      out.printf("reproduced: %s at step %d%n", got.oracle(), got.step());
      return Main.MATCH;
    }
    out.printf(
        "NOT reproduced: %s%n",
        got == null ? want.oracle() + " did not fire" : "it fired at step " + got.step());
    return Main.MISMATCH;
  }
}
