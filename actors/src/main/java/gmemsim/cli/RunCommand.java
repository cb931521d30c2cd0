package gmemsim.cli;

import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
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
    if (runtime.equals("akka") && nodes < 1) throw new ScenarioException("--nodes " + nodes + ": must be at least 1");
    if (!runtime.equals("controlled") && !runtime.equals("akka")) {
      throw new ScenarioException("--runtime " + runtime + ": not one of controlled, akka");
    }
    // Every scenario is checked before the first hunt starts, so bad input costs no hunt time.
    List<Scenario> scenarios = run.scenarioFiles.stream().map(run::load).toList();
    List<JunitXml.Case> cases = new ArrayList<>();
    int exit = Main.MATCH;
    for (Scenario s : scenarios) {
      Hunt.Options o = run.hunt(s);
      HuntResult r;
      try (ProgressDisplay p = run.progress(s)) {
        r = hunt(s, o, p);
      }
      Results.Written w = Results.write(s, r, runtime, nodes, o.maxSteps(), run.outDir(s), o.untilConfidence());
      exit = Math.max(exit, w.exitCode());
      cases.add(w.junitCase());
      // Rewritten after each scenario, so a later failure loses no case already decided.
      if (run.junitXml != null) JunitXml.write(run.junitXml, "gmemsim", cases);
    }
    return exit;
  }

  private HuntResult hunt(Scenario s, Hunt.Options o, Hunt.Progress p) {
    if (runtime.equals("controlled")) return Hunt.run(s, o, p);
    return nodes == 1 && cluster.seeds.isEmpty()
        ? AkkaHunt.runEmbedded(s, o, p, cluster.overlay())
        : AkkaHunt.runCoordinator(
            s, o, p,
            AkkaHunt.nodeConfig(cluster.host, cluster.port, cluster.roles(AkkaHunt.ALL_ROLES),
                cluster.seeds, cluster.overlay()),
            nodes, null);
  }
}
