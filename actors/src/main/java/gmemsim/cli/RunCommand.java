package gmemsim.cli;

import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.akka.AkkaHunt;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gmemsim run}: hunt a scenario for violations within a budget, in the controlled runtime
 * or with every component an Akka actor (on this node alone, or as the coordinator of a cluster
 * of {@code --nodes} members started with {@code gmemsim node}).
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
    Scenario s = run.load();
    Hunt.Options o = run.hunt(s);
    HuntResult r;
    switch (runtime) {
      case "controlled" -> r = Hunt.run(s, o, run.progress());
      case "akka" -> {
        if (nodes < 1) throw new ScenarioException("--nodes " + nodes + ": must be at least 1");
        r =
            nodes == 1 && cluster.seeds.isEmpty()
                ? AkkaHunt.runEmbedded(s, o, run.progress(), cluster.overlay())
                : AkkaHunt.runCoordinator(
                    s, o, run.progress(),
                    AkkaHunt.nodeConfig(cluster.host, cluster.port, cluster.roles(AkkaHunt.ALL_ROLES),
                        cluster.seeds, cluster.overlay()),
                    nodes, null);
      }
      default -> throw new ScenarioException("--runtime " + runtime + ": not one of controlled, akka");
    }
    return Results.write(s, r, runtime, nodes, o.maxSteps(), run.outDir(s));
  }
}
