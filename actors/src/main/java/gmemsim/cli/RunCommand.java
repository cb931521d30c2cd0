package gmemsim.cli;

import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.RuntimeKind;
import gmemsim.runtime.Runtimes;
import gmemsim.runtime.akka.AkkaHunt;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import gmemsim.report.JunitXml;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gmemsim run}: hunt a scenario for violations within a budget, in the controlled runtime
 * or with every component an Akka actor (on this node alone, or as the coordinator of a cluster
 * of {@code --nodes} members started with {@code gmemsim node}). Several scenarios run one after
 * the other, each into its own output folder, and {@code --junit-xml} reports them all.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Hunt a scenario for races.")
final class RunCommand implements Callable<Integer> {
  @Mixin RunOptions run;
  @Mixin ClusterOptions cluster;

  @Option(names = "--runtime", defaultValue = "controlled", description = "controlled | akka")
  String runtime;

  @Option(names = "--nodes", defaultValue = "1", description = "akka: cluster members to wait for")
  int nodes;

  @Override
  public Integer call() throws IOException {
    RuntimeKind kind = Runtimes.of(runtime);
    if (nodes < 1) throw new ScenarioException("--nodes " + nodes + ": must be at least 1");
    if (!kind.componentsAreActors() && (nodes != 1 || cluster.given())) {
      // Options nothing would read: the controlled runtime makes its runs on this JVM alone.
      throw new ScenarioException("--nodes, --host, --port, --seeds, --roles, --cluster-config: only with --runtime akka"
          + " (controlled runs on several nodes: gmemsim cluster --nodes N)");
    }
    if (run.allVariants && run.variant != null) throw new ScenarioException("--variant and --variants: give one of them");
    // Every scenario (and with --variants every variant) is checked before the first hunt starts,
    // so bad input costs no hunt time.
    List<Scenario> scenarios = new ArrayList<>();
    List<java.nio.file.Path> files = new ArrayList<>();
    for (java.nio.file.Path f : run.scenarioFiles) {
      if (!run.allVariants) {
        scenarios.add(run.load(f));
        files.add(f);
        continue;
      }
      List<String> vs = RunOptions.variants(f);
      if (vs.isEmpty()) throw new ScenarioException(f + ": --variants: the scenario has no variants block");
      for (String v : vs) {
        scenarios.add(run.load(f, v));
        files.add(f);
      }
    }
    for (Scenario s : scenarios) {
      if (kind.componentsAreActors() && s.string(gmemsim.scenario.Knobs.STRATEGY).equals("dfs")) {
        // The Akka runtime's schedule is real parallelism: there is nothing for a search to choose.
        throw new ScenarioException(s.where(gmemsim.scenario.Knobs.STRATEGY) + ": dfs searches the schedules of the"
            + " controlled runtime; --runtime akka schedules by real parallelism (drop --runtime akka, or shard the search"
            + " with run.shard)");
      }
      String v = s.string(gmemsim.scenario.Knobs.VARIANT);
      RunOptions.checkOut(v.isEmpty() ? run.outDir(s) : run.outDir(s).resolve(v));
      run.hunt(s);
    }
    List<JunitXml.Case> cases = new ArrayList<>();
    List<String[]> table = new ArrayList<>();
    int exit = Main.MATCH;
    java.util.Map<java.nio.file.Path, gmemsim.report.Family> measured = new java.util.HashMap<>();
    List<HuntResult> results = new ArrayList<>();
    for (int i = 0; i < scenarios.size(); i++) {
      Scenario s = scenarios.get(i);
      Hunt.Options o = run.hunt(s);
      gmemsim.report.Family family = null;
      if (o.untilConfidence() > 0) {
        // The rate a clean hunt must be able to see, from the known-bad variants of the same file.
        Hunt.Options asked = o;
        family = measured.computeIfAbsent(files.get(i), f -> FamilyRates.measure(run, kind, f, asked));
        o = o.withFamilyRate(family.lowestRate());
      }
      HuntResult r;
      try (ProgressDisplay p = run.progress(s)) {
        r = hunt(kind, s, o, p);
      }
      results.add(r);
      String variant = s.string(gmemsim.scenario.Knobs.VARIANT);
      java.nio.file.Path dir = variant.isEmpty() ? run.outDir(s) : run.outDir(s).resolve(variant);
      Results.Written w = Results.write(s, r, kind, nodes, o.maxSteps(), dir, o.untilConfidence(), family);
      exit = Math.max(exit, w.exitCode());
      cases.add(w.junitCase());
      table.add(row(s, variant, r, w));
      // Rewritten after each scenario, so a later failure loses no case already decided.
      if (run.junitXml != null) JunitXml.write(run.junitXml, "gmemsim", cases);
    }
    if (run.allVariants) {
      System.out.println();
      table.add(0, new String[] {"scenario", "variant", "found (first run)", "runs", "outcome"});
      int[] width = new int[4];
      for (String[] row : table) {
        for (int i = 0; i < width.length; i++) width[i] = Math.max(width[i], row[i].length());
      }
      for (String[] row : table) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < width.length; i++) line.append(String.format("%-" + width[i] + "s  ", row[i]));
        System.out.println(line.append(row[4]));
      }
      familyLines(scenarios, files, results);
    }
    return exit;
  }

  /** Below the --variants table: what each clean row's runs were worth against the bad rows of its file. */
  private static void familyLines(List<Scenario> scenarios, List<java.nio.file.Path> files, List<HuntResult> results) {
    for (java.nio.file.Path f : new java.util.LinkedHashSet<>(files)) {
      List<Scenario> ss = new ArrayList<>();
      List<HuntResult> rs = new ArrayList<>();
      for (int i = 0; i < scenarios.size(); i++) {
        if (!files.get(i).equals(f)) continue;
        ss.add(scenarios.get(i));
        rs.add(results.get(i));
      }
      gmemsim.report.Family family = FamilyRates.of(ss, rs);
      if (family.isEmpty()) continue;
      for (int i = 0; i < ss.size(); i++) {
        HuntResult r = rs.get(i);
        if (!r.findings().isEmpty() || r.verification() != null || r.runs() == 0) continue;
        gmemsim.report.Family.Member m = family.rarest();
        System.out.printf("%s %s: %,d clean runs would have found each known bug of its family with probability >= %s"
            + " (the rarest, %s's %s, hits at least %.2g of runs at 95%%)%n", ss.get(i).name(), ss.get(i).string(
                gmemsim.scenario.Knobs.VARIANT), r.runs(), gmemsim.report.HitRate.found(r.runs(), family.lowestRate()), m.variant(), m.oracle(),
            m.rate().lower(gmemsim.report.HitRate.LEVEL));
      }
    }
  }

  /** One row of the --variants table. */
  private static String[] row(Scenario s, String variant, HuntResult r, Results.Written w) {
    String found = r.findings().isEmpty() ? "nothing"
        : String.join(", ", r.findings().values().stream().map(f -> f.oracle() + " (" + f.firstRun() + ")").toList());
    return new String[] {s.name(), variant, found, String.format("%,d", r.runs()),
        w.outcome().matches() ? "matches expect" : "does NOT match: " + w.outcome().reason()};
  }

  private HuntResult hunt(RuntimeKind kind, Scenario s, Hunt.Options o, Hunt.Progress p) {
    return nodes == 1 && cluster.seeds.isEmpty()
        ? kind.huntAlone(s, o, p, cluster.overlay())
        : AkkaHunt.runCoordinator(
            s, o, p,
            AkkaHunt.nodeConfig(cluster.host, cluster.port, cluster.roles(AkkaHunt.ALL_ROLES),
                cluster.seeds, cluster.overlay()),
            nodes, null);
  }
}
