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
    // Every scenario is checked before the first hunt starts, so bad input costs no hunt time.
    List<Scenario> scenarios = run.scenarioFiles.stream().map(run::load).toList();
    List<JunitXml.Case> cases = new ArrayList<>();
    int exit = Main.MATCH;
    for (Scenario s : scenarios) {
      Hunt.Options o = run.hunt(s);
      HuntResult r;
      try (ProgressDisplay p = run.progress(s)) {
        r = hunt(kind, s, o, p);
      }
      Results.Written w = Results.write(s, r, kind, nodes, o.maxSteps(), run.outDir(s), o.untilConfidence());
      exit = Math.max(exit, w.exitCode());
      cases.add(w.junitCase());
      // Rewritten after each scenario, so a later failure loses no case already decided.
      if (run.junitXml != null) JunitXml.write(run.junitXml, "gmemsim", cases);
    }
    return exit;
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
