package gmemsim.cli;

import gmemsim.report.BenchReport;
import gmemsim.report.BenchReport.Row;
import gmemsim.report.BenchReport.SeedResult;
import gmemsim.runtime.Finding;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.RuntimeKind;
import gmemsim.runtime.Runtimes;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gmemsim bench}: one hunt per (strategy, seed), each stopping at the first run in which
 * the oracle fires, and per strategy the median and p90 of the runs and seconds that took, with
 * steps/s and runs/s. Prints a Markdown table and writes it with the per-seed figures as JSON.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure, per strategy and over seeds, the time to the first violation and the step rate.")
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SCENARIO.conf", description = "scenario file")
  Path scenarioFile;

  @Option(names = "--seeds", defaultValue = "1..10", description = "seeds: FIRST..LAST or a list, e.g. 1..20 or 1,4,9")
  String seeds;

  @Option(
      names = "--strategy",
      split = ",",
      description = "strategies to compare (controlled runtime; default: all of them)")
  List<String> strategies;

  @Option(names = "--oracle", description = "the oracle to time (default: the first of expect.violations)")
  String oracle;

  @Option(names = "--budget", description = "per seed: 30s, 2m or 5000runs (default: run.budget)")
  String budget;

  @Option(names = "--set", paramLabel = "key=value", description = "override any scenario key")
  List<String> sets = new ArrayList<>();

  @Option(names = "--runtime", defaultValue = "controlled", description = "controlled | akka (this node alone)")
  String runtime;

  @Option(names = "--out", description = "output folder (default: out/bench/<scenario>)")
  Path out;

  @Option(names = "--quiet", description = "no line per seed on standard error")
  boolean quiet;


  @Override
  public Integer call() throws IOException {
    long[] seedList = parseSeeds(seeds);
    RuntimeKind kind = Runtimes.of(runtime);
    List<String> names = kind.benchStrategies(strategies);
    Scenario base = RunOptions.load(scenarioFile, sets, null, null, budget);
    String target = oracle != null ? oracle : firstExpected(base);
    if (target != null && !gmemsim.oracle.Oracles.names().contains(target)) {
      throw new ScenarioException("--oracle " + target + ": not one of " + gmemsim.oracle.Oracles.names());
    }
    String label = target == null ? "violation" : target;
    List<SeedResult> results = new ArrayList<>();
    for (String strategy : names) {
      for (long seed : seedList) {
        Scenario s =
            RunOptions.load(scenarioFile, sets, seed, kind.componentsAreActors() ? null : strategy, budget);
        Hunt.Options o =
            new Hunt.Options(
                seed, s.string(Knobs.STRATEGY), s.intValue(Knobs.PCT_DEPTH), s.budget(Knobs.BUDGET),
                s.intValue(Knobs.MAX_STEPS), true, target);
        HuntResult r =
kind.huntAlone(s, o, null, com.typesafe.config.ConfigFactory.empty());
        Finding f = target == null ? r.findings().values().stream().findFirst().orElse(null) : r.findings().get(target);
        SeedResult sr =
            new SeedResult(
                strategy, seed, f == null ? -1 : f.runsToFirst(), f == null ? -1 : f.timeToFirstMs(),
                r.runs(), r.steps(), r.elapsedMs(), r.error());
        results.add(sr);
        if (!quiet) {
          System.err.printf(
              "bench: %s seed %d: %s%n", strategy, seed,
              sr.found()
                  ? String.format("%s after %,d runs, %.2f s", label, sr.runsToFirst(), sr.msToFirst() / 1000.0)
                  : label + " not found in " + s.budget(Knobs.BUDGET) + (r.error() != null ? " (" + r.error() + ")" : ""));
        }
      }
    }
    List<Row> rows = names.stream().map(n -> BenchReport.row(n, results)).toList();
    String md = BenchReport.markdown(base.name(), label, base.budget(Knobs.BUDGET).toString(), rows);
    Path dir = out != null ? out : Path.of("out", "bench", base.name());
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("scenario", base.name());
    header.put("scenarioFile", base.source());
    header.put("oracle", label);
    header.put("runtime", runtime);
    header.put("budgetPerSeed", base.budget(Knobs.BUDGET).toString());
    header.put("seeds", seedList);
    header.put("sets", sets);
    header.put("machine", machine());
    header.put("when", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    BenchReport.writeJson(dir.resolve("bench.json"), header, rows, results);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("bench.md"), md);
    System.out.print(md);
    System.out.printf("%njson: %s%nmarkdown: %s%n", dir.resolve("bench.json"), dir.resolve("bench.md"));
    return results.stream().anyMatch(r -> r.error() != null) ? Main.MISMATCH : Main.MATCH;
  }

  private static String firstExpected(Scenario s) {
    if (s.bool(Knobs.EXPECT_CLEAN)) return null;
    List<String> e = s.oracles(Knobs.EXPECT_VIOLATIONS);
    return e.isEmpty() ? null : e.get(0);
  }

  static long[] parseSeeds(String text) {
    try {
      if (text.contains("..")) {
        String[] p = text.split("\\.\\.", 2);
        long first = Long.parseLong(p[0].trim());
        long last = Long.parseLong(p[1].trim());
        if (last < first) throw new IllegalArgumentException("the last seed is before the first");
        return LongStream.rangeClosed(first, last).toArray();
      }
      return java.util.Arrays.stream(text.split(",")).mapToLong(x -> Long.parseLong(x.trim())).toArray();
    } catch (IllegalArgumentException e) {
      throw new Main.BadInput("--seeds " + text + ": write FIRST..LAST or a list like 1,4,9 (" + e.getMessage() + ")", e);
    }
  }

  /** Where the figures came from, so RESULTS.md can say. */
  static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
    m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    try {
      Path cpuinfo = Path.of("/proc/cpuinfo");
      if (Files.isReadable(cpuinfo)) {
        Files.readAllLines(cpuinfo).stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .ifPresent(l -> m.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
      }
    } catch (IOException e) {
      m.put("cpu", "unknown (" + e.getMessage() + ")");
    }
    return m;
  }
}
