package gmemsim.cli;

import gmemsim.model.MachineBuilder;
import gmemsim.oracle.Oracles;
import gmemsim.runtime.Hunt;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options {@code run} and {@code cluster} share (DESIGN §7). */
final class RunOptions {
  @Parameters(arity = "1..*", paramLabel = "SCENARIO.conf", description = "scenario file(s)")
  List<Path> scenarioFiles = new ArrayList<>();

  @Option(names = "--seed", description = "seed the run seeds derive from (run.seed)")
  Long seed;

  @Option(names = "--strategy", description = "random | pct | pct-racing | pos | mix | dfs (run.strategy; controlled runtime)")
  String strategy;

  @Option(names = "--budget", description = "30s, 2m or 5000runs (run.budget)")
  String budget;

  @Option(names = "--set", paramLabel = "key=value", description = "override any scenario key")
  List<String> sets = new ArrayList<>();

  @Option(names = "--out", description = "output folder (default: out/<scenario name>)")
  Path out;

  @Option(names = "--quiet", description = "no progress display (same as --progress none)")
  boolean quiet;

  @Option(
      names = "--progress",
      defaultValue = "auto",
      description = "auto (a bar on a terminal, else a line every few seconds) | bar | lines | none")
  String progress;

  @Option(names = "--junit-xml", paramLabel = "FILE", description = "write one JUnit test case per scenario run")
  Path junitXml;

  @Option(names = "--until-confidence", paramLabel = "C",
      description = "stop a clean hunt once it would have found, with probability C, a bug as frequent as the rarest"
          + " known-bad variant of the scenario's variants block (measured first); or when the budget runs out")
  Double untilConfidence;

  /** --until-confidence as a probability, 0 when not given; anything but 0 < C < 1 is bad input. */
  double untilConfidence() {
    if (untilConfidence == null) return 0;
    double c = untilConfidence;
    if (!(c > 0 && c < 1)) {
      throw new ScenarioException("--until-confidence " + c + ": a probability strictly between 0 and 1, such as 0.99");
    }
    return c;
  }

  /** The output folder must be one this run can write, before any hunt time is spent. */
  static void checkOut(Path dir) {
    try {
      java.nio.file.Files.createDirectories(dir);
      Path probe = java.nio.file.Files.createTempFile(dir, ".gmemsim", ".probe");
      java.nio.file.Files.delete(probe);
    } catch (java.io.IOException | UnsupportedOperationException e) {
      throw new ScenarioException("--out " + dir + ": cannot write there (" + e.getClass().getSimpleName().replace("Exception", "")
          + (e.getMessage() == null || e.getMessage().equals(dir.toString()) ? "" : ": " + e.getMessage()) + ")");
    }
  }

  @Option(names = "--stop-at-first", description = "stop after the first run in which an oracle fires")
  boolean stopAtFirst;

  @Option(names = "--variant", paramLabel = "NAME", description = "run this variant of the scenario's variants { ... } block")
  String variant;

  @Option(names = "--variants", description = "run every variant of the scenario's variants block, and print one table")
  boolean allVariants;

  @Option(names = "--schedule", paramLabel = "FILE",
      description = "a claimed interleaving to check (run.schedule-file): one 'actor: function:point' per line, or a"
          + " two-column mail diagram; implies --strategy dfs")
  Path schedule;

  Scenario load(Path scenarioFile) {
    return load(scenarioFile, variant);
  }

  @Option(names = "--resume", paramLabel = "FILE",
      description = "go on with the exhaustive search whose frontier.json FILE is (run.resume); implies --strategy dfs")
  Path resume;

  @Option(names = "--preemption-bound", paramLabel = "N",
      description = "search every schedule with at most N preemptions (run.preemption-bound); implies --strategy dfs")
  Integer preemptionBound;

  @Option(names = "--estimate", paramLabel = "N",
      description = "walk N random paths down the exhaustive search and estimate its runs instead of making it"
          + " (run.dfs-estimate, Knuth's estimator); implies --strategy dfs")
  Integer estimate;

  Scenario load(Path scenarioFile, String variantName) {
    if (schedule == null && resume == null && preemptionBound == null && estimate == null) {
      return load(scenarioFile, variantName, sets, seed, strategy, budget);
    }
    List<String> all = new ArrayList<>(sets);
    if (preemptionBound != null) all.add("run.preemption-bound=" + preemptionBound);
    if (estimate != null) all.add("run.dfs-estimate=" + estimate);
    if (schedule != null) all.add("run.schedule-file=" + quoted(schedule));
    if (resume != null) all.add("run.resume=" + quoted(resume));
    return load(scenarioFile, variantName, all, seed, strategy == null ? "dfs" : strategy, budget);
  }

  private static String quoted(Path p) {
    return "\"" + p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The names of the variants of a scenario file (empty: it has no variants block). */
  static List<String> variants(Path scenarioFile) {
    return new ScenarioLoader(Oracles.names()).variants(scenarioFile);
  }

  static Scenario load(Path scenarioFile, List<String> sets, Long seed, String strategy, String budget) {
    return load(scenarioFile, null, sets, seed, strategy, budget);
  }

  /** A scenario with the command line's overrides; every error names the file, line or option. */
  static Scenario load(Path scenarioFile, String variant, List<String> sets, Long seed, String strategy, String budget) {
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
    Scenario s = new ScenarioLoader(Oracles.names()).load(scenarioFile, variant, all);
    for (String w : s.strings(Knobs.EXPECT_WINDOWS)) KnownSteps.check(s.where(Knobs.EXPECT_WINDOWS), w);
    MachineBuilder.validate(s);
    boolean claims = !s.strings(Knobs.SCHEDULE).isEmpty() || !s.string(Knobs.SCHEDULE_FILE).isEmpty();
    if (claims && !s.string(Knobs.STRATEGY).equals("dfs")) {
      throw new ScenarioException(s.where(!s.strings(Knobs.SCHEDULE).isEmpty() ? Knobs.SCHEDULE : Knobs.SCHEDULE_FILE)
          + ": a claimed interleaving is checked by run.strategy = dfs (--strategy dfs); this run's strategy is "
          + s.string(Knobs.STRATEGY));
    }
    // A claim that names no actor or function is refused before any hunt time is spent.
    if (claims) gmemsim.runtime.dfs.Exhaustive.claim(s);
    if (!s.string(Knobs.RESUME).isEmpty() && !s.string(Knobs.STRATEGY).equals("dfs")) {
      throw new ScenarioException(s.where(Knobs.RESUME) + ": only run.strategy = dfs goes on from a frontier");
    }
    if (!s.string(Knobs.DFS_DATA).equals("search") && !s.string(Knobs.STRATEGY).equals("dfs")) {
      throw new ScenarioException(s.where(Knobs.DFS_DATA) + ": only run.strategy = dfs searches the model's choices; this run's"
          + " strategy is " + s.string(Knobs.STRATEGY) + ", which draws them from the run seed anyway");
    }
    if (s.intValue(Knobs.DFS_ESTIMATE) > 0 && !s.string(Knobs.STRATEGY).equals("dfs")) {
      throw new ScenarioException(s.where(Knobs.DFS_ESTIMATE) + ": only run.strategy = dfs has a search to estimate; this run's"
          + " strategy is " + s.string(Knobs.STRATEGY));
    }
    if (s.intValue(Knobs.PREEMPTION_BOUND) >= 0 && !s.string(Knobs.STRATEGY).equals("dfs")) {
      throw new ScenarioException(s.where(Knobs.PREEMPTION_BOUND) + ": only run.strategy = dfs bounds preemptions; this run's"
          + " strategy is " + s.string(Knobs.STRATEGY) + ", so the value would change nothing");
    }
    List<gmemsim.scenario.Knob> silent = s.silentKnobs();
    if (!silent.isEmpty()) {
      StringBuilder m = new StringBuilder();
      for (gmemsim.scenario.Knob k : silent) {
        if (m.length() > 0) m.append("; ");
        m.append(s.where(k));
      }
      throw new ScenarioException(m + ": no actor of this scenario reads "
          + (silent.size() == 1 ? "it" : "them") + ", so the value would change nothing; drop it or add the actor that uses it");
    }
    return s;
  }

  Hunt.Options hunt(Scenario s) {
    return new Hunt.Options(
        s.longValue(Knobs.SEED),
        s.string(Knobs.STRATEGY),
        s.intValue(Knobs.PCT_DEPTH),
        s.budget(Knobs.BUDGET),
        s.intValue(Knobs.MAX_STEPS),
        stopAtFirst,
        null,
        untilConfidence(),
        0);
  }

  /** {@code --out} itself for one scenario, a folder per scenario inside it for several. */
  Path outDir(Scenario s) {
    if (out == null) return Path.of("out", s.name());
    return scenarioFiles.size() == 1 ? out : out.resolve(s.name());
  }

  /** The progress display for a hunt of this scenario, or null when none is wanted. */
  ProgressDisplay progress(Scenario s) {
    ProgressDisplay.Mode m = quiet ? ProgressDisplay.Mode.NONE : ProgressDisplay.Mode.parse(progress);
    return ProgressDisplay.forHunt(m, s.name(), s.budget(Knobs.BUDGET));
  }
}
