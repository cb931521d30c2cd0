package gmemsim.cli;

import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.oracle.Oracles;
import gmemsim.oracle.Violation;
import gmemsim.report.ReplayFile;
import gmemsim.report.HtmlReport;
import gmemsim.report.ViolationTrace;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import gmemsim.trace.TextTrace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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

  @Option(names = "--full", description = "print every step (no folding of uninvolved steps)")
  boolean full;

  @Option(
      names = "--format",
      defaultValue = "console",
      description =
          "console (one line per step), text (for a plain-text mail: wrapped at 78 columns, with"
              + " the ghost state and the replay command), html (the report page, see --html)")
  String format;

  @Option(names = "--html", paramLabel = "FILE", description = "with --format html: where to write (default: FILE with .html)")
  Path html;

  @Override
  public Integer call() throws IOException {
    if (!List.of("console", "text", "html").contains(format)) {
      throw new Main.BadInput("--format " + format + ": not one of console, text, html", null);
    }
    ReplayFile rf;
    try {
      rf = ReplayFile.read(file);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // Jackson's message carries its source and reference chain; a user needs where and what.
      var at = e.getLocation();
      String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
      String what = e.getOriginalMessage();
      if (what != null && what.startsWith("Unexpected end-of-input")) what = "the file ends early (cut off?)";
      throw new Main.BadInput(file + where + ": not a readable replay file: " + what, e);
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
    Violation want = rf.violation();
    ViolationTrace t = ViolationTrace.replay(s, rf.runSeed(), schedule, rf.maxSteps(), want);
    int width = format.equals("text") ? TextTrace.MAIL_WIDTH : 0;
    StringBuilder sb = new StringBuilder();
    TextTrace.emit(
        sb,
        String.format(
            "replay of %s (%s): run %d of seed %d, strategy %s, %d steps",
            rf.scenario(), rf.scenarioFile(), rf.run(), rf.seed(), rf.strategy(), java.util.Arrays.stream(schedule).filter(x -> !gmemsim.runtime.Envelope.isChoice(x)).count()),
        width);
    sb.append("knobs that differ from the defaults:\n");
    for (String k : Results.changedKnobs(s.effective())) {
      TextTrace.emit(sb, "  " + k + " = " + s.effective().get(k), width);
    }
    TextTrace.emit(sb, String.format("recorded: %s at step %d: %s", want.oracle(), want.step(), want.message()), width);
    String kernel = gmemsim.model.exec.KernelSources.get().digest();
    if (rf.kernel() != null && !rf.kernel().equals(kernel)) {
      TextTrace.emit(sb, "note: recorded on kernel sources " + rf.kernel() + ", and kernel/ has changed since (now " + kernel
          + "): the run may not reproduce", width);
    }
    sb.append('\n');
    boolean sample = want.oracle().equals(gmemsim.runtime.Coverage.SAMPLE);
    if (!full && !sample) {
      sb.append("the race in brief (the racing actors' steps and those on the pages named):\n");
      sb.append(TextTrace.brief(t.lines(), want, gmemsim.report.HtmlReport.BRIEF_BEFORE, gmemsim.report.HtmlReport.BRIEF_AFTER, width));
      sb.append("\nthe whole run (steps of other actors folded):\n");
    }
    if (!t.boot().isEmpty()) {
      sb.append("before the first step:\n");
      for (String n : t.boot()) TextTrace.emit(sb, "  " + n, width);
    }
    sb.append(TextTrace.format(t.lines(), t.atEnd(), want, full || sample, width));
    if (format.equals("text") && !t.ghost().isEmpty()) {
      sb.append("\nghost state right after step ").append(want.step()).append(":\n");
      for (String g : t.ghost()) TextTrace.emit(sb, "  " + g, width);
    }
    sb.append('\n');
    if (t.divergence() != null) sb.append("NOT reproduced: ").append(t.divergence()).append('\n');
    else if (t.reproduced() && sample) sb.append(String.format("reproduced: the sample clean run, %d steps, no oracle fired%n", want.step()));
    else if (t.reproduced()) sb.append(String.format("reproduced: %s at step %d%n", want.oracle(), want.step()));
    else {
      sb.append("NOT reproduced: ")
          .append(t.got() == null ? want.oracle() + " did not fire" : "it fired at step " + t.got().step())
          .append('\n');
    }
    // A command is never wrapped: it must survive copy and paste from the mail.
    if (format.equals("text")) sb.append("replay:\n  ").append(Results.replayCommand(file)).append('\n');
    if (format.equals("html")) {
      Path out = html != null ? html : Path.of(file.toString().replaceFirst("\\.json$", "") + ".html");
      HtmlReport.write(out, page(s, rf, t, sb.toString()));
      System.out.println("report: " + out);
      System.out.print(sb.substring(sb.lastIndexOf("\n", sb.length() - 2) + 1));
    } else {
      System.out.print(sb);
    }
    return t.reproduced() ? Main.MATCH : Main.MISMATCH;
  }

  private HtmlReport.Page page(Scenario s, ReplayFile rf, ViolationTrace t, String text) {
    return new HtmlReport.Page(
        s.name(),
        s.string(Knobs.DESCRIPTION),
        t.reproduced() ? "the recorded violation reproduces" : "the recorded violation did NOT reproduce",
        t.reproduced(),
        s.effective(),
        Results.changedKnobs(s.effective()),
        text,
        List.of(new HtmlReport.Section(rf.violation().oracle(), 1, Results.replayCommand(file), t)),
        null,
        null);
  }
}
