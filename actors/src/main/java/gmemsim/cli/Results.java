package gmemsim.cli;

import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.oracle.Oracles;
import gmemsim.report.HtmlReport;
import gmemsim.report.JunitXml;
import gmemsim.report.Outcome;
import gmemsim.report.ReplayFile;
import gmemsim.report.Summary;
import gmemsim.report.ViolationTrace;
import gmemsim.runtime.Exposure;
import gmemsim.runtime.Finding;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.Race;
import gmemsim.runtime.RuntimeKind;
import gmemsim.scenario.Knob;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Writes a hunt's replay files, summary.json and report.html, prints the summary, and returns
 * the exit code with a JUnit test case for {@code --junit-xml}.
 */
final class Results {
  /** What one scenario run came to. */
  record Written(int exitCode, JunitXml.Case junitCase, Outcome outcome) {}

  private Results() {}

  static Written write(Scenario s, HuntResult r, RuntimeKind runtime, int nodes, long maxSteps, Path dir)
      throws IOException {
    return write(s, r, runtime, nodes, maxSteps, dir, 0, null);
  }

  /**
   * @param untilConfidence the run's --until-confidence (0: none), to say whether it was reached
   * @param family the measured rates of the scenario's known-bad variants, or null
   */
  static Written write(Scenario s, HuntResult r, RuntimeKind runtime, int nodes, long maxSteps, Path dir, double untilConfidence,
      gmemsim.report.Family family) throws IOException {
    Machine m = MachineBuilder.build(s);
    List<String> names = IntStream.range(0, m.size()).mapToObj(m::name).toList();
    clearReplays(dir);
    Map<String, Path> replays = new LinkedHashMap<>();
    List<Finding> toWrite = new ArrayList<>(r.findings().values());
    if (r.sample() != null) toWrite.add(r.sample());
    for (Finding f : toWrite) {
      Path file = dir.resolve("replays").resolve(f.oracle() + ".json");
      replayFile(s, r, runtime.name(), maxSteps, names, f.firstRun(), f.firstRunSeed(), f.first(), f.schedule()).write(file);
      replays.put(f.oracle(), file);
      // Every other distinct race of the oracle gets a replay of its own first run.
      for (int i = 0; i < f.races().size(); i++) {
        Race race = f.races().get(i);
        if (race.firstRun() == f.firstRun()) continue;
        Path rf = dir.resolve("replays").resolve(f.oracle() + "-race" + (i + 1) + ".json");
        replayFile(s, r, runtime.name(), maxSteps, names, race.firstRun(), race.firstRunSeed(), race.first(), race.schedule()).write(rf);
        replays.put(Race.replayKey(f.oracle(), i), rf);
      }
    }
    if (r.verification() != null && r.verification().frontier() != null) {
      // An unfinished search leaves where it stopped: --resume goes on from there.
      gmemsim.report.ReplayFile.JSON.writeValue(dir.resolve("frontier.json").toFile(), r.verification().frontier());
    } else {
      java.nio.file.Files.deleteIfExists(dir.resolve("frontier.json"));
    }
    Outcome outcome = Outcome.evaluate(s, r.findings().keySet(), r.coverage());
    Path summary = dir.resolve("summary.json");
    Summary.write(summary, Summary.build(s, r, runtime, nodes, outcome, replays, r.error(), family));
    Path report = dir.resolve("report.html");
    String text = text(s, r, runtime, nodes, outcome, replays, summary, report, untilConfidence, family);
    // The page goes last: if tracing a finding failed, summary.json and the replays are written.
    HtmlReport.write(report, page(s, r, outcome, replays, maxSteps, text, family));
    System.out.print(text);
    boolean ok = r.error() == null && outcome.matches();
    return new Written(
        ok ? Main.MATCH : Main.MISMATCH,
        new JunitXml.Case(
            s.name(), "gmemsim." + runtime.name(), r.elapsedMs() / 1000.0,
            r.error() == null && !outcome.matches() ? outcome.reason() : null, r.error(), text), outcome);
  }

  /** Replay files of an earlier run into the same folder would read as this run's: they go first. */
  private static void clearReplays(Path dir) throws IOException {
    Path replays = dir.resolve("replays");
    if (!java.nio.file.Files.isDirectory(replays)) return;
    try (var files = java.nio.file.Files.list(replays)) {
      for (Path f : files.toList()) if (f.toString().endsWith(".json")) java.nio.file.Files.delete(f);
    }
  }

  /** An oracle's distinct races (racing-step signatures), each with its own replay. */
  private static void racesText(PrintWriter out, Finding f, Map<String, Path> replays) {
    out.printf("  %-16s %d distinct races (step it fired at | where the threads it names stood):%n", "", f.races().size());
    for (int i = 0; i < f.races().size(); i++) {
      Race race = f.races().get(i);
      Path file = race.firstRun() == f.firstRun() ? replays.get(f.oracle()) : replays.get(Race.replayKey(f.oracle(), i));
      out.printf("  %-16s  %d. in %,d run(s), first run %d: %s%n", "", i + 1, race.count(), race.firstRun(),
          race.signature().isEmpty() ? "(signature unknown)" : race.signature());
      out.printf("  %-16s     replay: %s%n", "", replayCommand(file));
    }
    long signed = f.races().stream().mapToLong(Race::count).sum();
    if (signed < f.count()) {
      out.printf("  %-16s  (%,d more run(s): races past the first %d, or runs the akka runtime did not replay)%n", "",
          f.count() - signed, Race.MAX_PER_ORACLE);
    }
  }

  private static ReplayFile replayFile(Scenario s, HuntResult r, String runtime, long maxSteps, List<String> names,
      long run, long runSeed, gmemsim.oracle.Violation v, long[] schedule) {
    return new ReplayFile(ReplayFile.FORMAT, s.source(), s.name(), s.effective(), r.seed(), r.strategy(), r.pctK(),
        runtime, run, runSeed, maxSteps, v, ReplayFile.encode(schedule, names), gmemsim.model.exec.KernelSources.get().digest());
  }

  private static HtmlReport.Page page(
      Scenario s, HuntResult r, Outcome outcome, Map<String, Path> replays, long maxSteps, String text,
      gmemsim.report.Family family) {
    // One section per distinct run: oracles first found in the same run share its trace.
    Map<Long, List<Finding>> byRun = new LinkedHashMap<>();
    for (Finding f : r.findings().values()) byRun.computeIfAbsent(f.firstRun(), x -> new ArrayList<>()).add(f);
    List<HtmlReport.Section> sections = new ArrayList<>();
    for (List<Finding> same : byRun.values()) {
      Finding f = same.stream().min(java.util.Comparator.comparingLong(x -> x.first().step())).orElseThrow();
      ViolationTrace t = ViolationTrace.replay(s, f.firstRunSeed(), f.schedule(), maxSteps, f.first());
      String oracles = String.join(", ", same.stream().map(Finding::oracle).toList());
      sections.add(new HtmlReport.Section(oracles, f.count(), replayCommand(replays.get(f.oracle())), t));
    }
    return new HtmlReport.Page(
        s.name() + designSets(s),
        s.string(Knobs.DESCRIPTION),
        (r.error() != null ? "error: " + r.error() + "; " : "")
            + (outcome.matches() ? "matches expect" : "does NOT match expect")
            + " (" + outcome.reason() + ")",
        r.error() == null && outcome.matches(),
        s.effective(),
        changedKnobs(s.effective()),
        text,
        sections,
        r.exposure() == null ? null : exposure(r.exposure()),
        r.coverage() == null ? null : gmemsim.report.CoverageHtml.render(r.coverage(), s.strings(Knobs.EXPECT_WINDOWS),
            confidenceLine(s, r, family)));
  }

  private static String confidenceLine(Scenario s, HuntResult r, gmemsim.report.Family family) {
    gmemsim.report.Confidence c = gmemsim.report.Confidence.of(s, r, family);
    return c == null ? null : c.line();
  }

  /** The --set arguments that change the machine or its designs (not the hunt's own run.* keys), for titles. */
  private static String designSets(Scenario s) {
    List<String> sets = s.setByCommandLine().stream().filter(x -> !x.startsWith("--set run.")).toList();
    return sets.isEmpty() ? "" : " (" + String.join(" ", sets) + ")";
  }

  /**
   * The command line's --set overrides a resumed search must repeat: the frontier is refused under
   * other keys, and --preemption-bound, --seed and --set run.dfs-data all arrive as sets. Its budget
   * and an earlier --resume are the new command's own.
   */
  static String searchSets(Scenario s) {
    StringBuilder b = new StringBuilder();
    for (String o : s.setByCommandLine()) {
      String kv = o.substring("--set ".length());
      if (kv.startsWith("run.resume=") || kv.startsWith("run.budget=") || kv.startsWith("run.strategy=")) continue;
      b.append(" --set ").append(kv.matches("[A-Za-z0-9._=/:,+-]+") ? kv : "'" + kv.replace("'", "'\\''") + "'");
    }
    return b.toString();
  }

  static String replayCommand(Path replayFile) {
    return "./gmemsim replay " + replayFile;
  }

  /** The knobs whose effective value differs from the default. */
  static Set<String> changedKnobs(Map<String, Object> effective) {
    Map<String, Object> defaults =
        new ScenarioLoader(Oracles.names()).fromEffective(Map.of(), "defaults").effective();
    Set<String> changed = new LinkedHashSet<>();
    for (Knob k : Knobs.all().values()) {
      if (k == Knobs.DESCRIPTION || k == Knobs.NAME) continue;
      if (!Objects.equals(effective.get(k.key()), defaults.get(k.key()))) changed.add(k.key());
    }
    return changed;
  }

  private static String exposure(Exposure x) {
    return String.format(
        "exposure: guest-private data readable through the direct map in %,d of %,d runs;"
            + " %.1f steps per run on average, at most %,d in a run, %,d for one page",
        x.runsExposed(), x.runs(), x.meanStepsPerRun(), x.maxStepsInRun(), x.maxStepsPerPage());
  }

  private static String text(
      Scenario s, HuntResult r, RuntimeKind runtime, int nodes, Outcome outcome, Map<String, Path> replays,
      Path summary, Path report, double untilConfidence, gmemsim.report.Family family) {
    StringWriter sw = new StringWriter();
    PrintWriter out = new PrintWriter(sw);
    out.printf(
        "gmemsim run %s: seed %d, strategy %s%s, runtime %s%s%n",
        s.name(), r.seed(), r.strategy(), r.pctK() > 0 ? " (k=" + r.pctK() + ")" : "", runtime.name(),
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
      out.printf("  %-16s replay: %s%n", "", replayCommand(replays.get(f.oracle())));
      if (f.races().size() > 1) racesText(out, f, replays);
    }
    if (runtime.componentsAreActors()) {
      out.printf("  %,d model messages crossed nodes; %,d run(s) with a thread's step held back by a timing fault"
          + " (faults.preempt-*)%n", r.crossNodeMessages(), r.faultedRuns());
    }
    if (r.cluster() != null) clusterText(out, r.cluster());
    if (r.truncatedRuns() > 0) {
      List<String> why = new java.util.ArrayList<>();
      r.cutShort().forEach((k, n) -> why.add(String.format("%,d %s", n, gmemsim.runtime.CutReason.meaningOf(k))));
      out.printf("  %,d run(s) cut short: %s%n", r.truncatedRuns(), String.join("; ", why));
    }
    if (r.verification() != null && r.verification().claim() != null) {
      gmemsim.runtime.Verification.ClaimAnswer c = r.verification().claim();
      out.printf("  %s%n", r.verification().claimStatement(!r.findings().isEmpty()));
      if (c.reached() && r.findings().isEmpty() && replays.containsKey(gmemsim.runtime.Coverage.SAMPLE)) {
        out.printf("  the claimed interleaving: %s%n", replayCommand(replays.get(gmemsim.runtime.Coverage.SAMPLE)));
      }
    } else if (r.verification() != null) {
      out.printf("  dfs: %s%n", r.verification().statement(!r.findings().isEmpty()));
    }
    if (r.verification() != null && r.verification().frontier() != null) {
      String variant = s.string(Knobs.VARIANT);
      out.printf("  to go on from where the search stopped (%,d runs so far): ./gmemsim run %s%s%s --resume %s%n",
          r.verification().frontier().runsBefore(), s.source(), variant.isEmpty() ? "" : " --variant " + variant,
          searchSets(s), summary.resolveSibling("frontier.json"));
    }
    if (r.exposure() != null) out.printf("  %s%n", exposure(r.exposure()));
    if (r.coverage() != null) CoverageText.print(out, s, r, untilConfidence, family);
    if (r.sample() != null && replays.containsKey(gmemsim.runtime.Coverage.SAMPLE)
        && (r.verification() == null || r.verification().claim() == null)) {
      out.printf("  sample clean run (run %d, the most race windows): %s%n", r.sample().firstRun(),
          replayCommand(replays.get(gmemsim.runtime.Coverage.SAMPLE)));
    }
    if (r.error() != null) out.println("  ERROR: " + r.error());
    out.printf(
        "outcome: %s (%s)%nsummary: %s%nreport: %s%n",
        r.error() != null ? "error" : outcome.matches() ? "matches expect" : "does NOT match expect",
        outcome.reason(),
        summary,
        report);
    out.flush();
    return sw.toString();
  }

  /** Swarm placement: what each node made, and what was lost and handed out again. */
  private static void clusterText(PrintWriter out, gmemsim.runtime.ClusterReport c) {
    String unit = c.lease().equals("seed range") ? "seed ranges leased" : "pieces of the search searched";
    String each = c.lease().equals("seed range") ? "leases" : "pieces";
    out.printf("  placement %s: %,d %s, coordinator %.1f us per %s%n", c.placement(), c.leases(), unit,
        c.coordinatorMicrosPerLease(), c.lease());
    for (var n : c.nodes()) {
      out.printf("    %-32s %,9d runs %,12.0f steps/s per worker (%d worker(s), %.1f s busy, %,d %s)%s%n", n.node(),
          n.runs(), n.stepsPerSec(), n.workers(), n.busySeconds(), n.leases(), each,
          n.findings().isEmpty() ? "" : ", found " + n.findings());
    }
    for (var l : c.losses()) {
      out.printf("  node %s lost at %.1f s (%s)%s%n", l.node(), l.atMs() / 1000.0, l.why(),
          c.lease().equals("seed range") ? String.format(": %,d runs handed out again", l.runsReissued()) : "");
    }
  }
}
