package gmemsim.cli;

import gmemsim.runtime.akka.AkkaHunt;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gmemsim node}: one worker node of a cluster. It joins the seeds, hosts whatever
 * components the coordinator places on its roles, and exits when the hunt is over (or when its
 * parent's standard input closes, with {@code --exit-with-parent}).
 */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Start one worker node of a cluster.")
final class NodeCommand implements Callable<Integer> {
  @Mixin ClusterOptions cluster;

  @Option(names = "--exit-with-parent", description = "exit when standard input closes")
  boolean exitWithParent;

  @Override
  public Integer call() throws Exception {
    if (cluster.seeds.isEmpty()) {
      throw new Main.BadInput("node: --seeds is required (the coordinator's host:port)", null);
    }
    if (exitWithParent) {
      Thread t =
          new Thread(
              () -> {
                try {
                  while (System.in.read() >= 0) {
                    // drain until the parent goes away
                  }
                } catch (java.io.IOException ignored) {
                  // parent gone
                }
                Runtime.getRuntime().halt(3);
              },
              "parent-watch");
      t.setDaemon(true);
      t.start();
    }
    String why = AkkaHunt.runWorker(
        AkkaHunt.nodeConfig(
            cluster.host, cluster.port, cluster.roles(List.of("memory", "cpu", "kvm")), cluster.seeds,
            cluster.overlay()));
    if (why != null) {
      System.err.println("gmemsim node: " + why);
      return Main.MISMATCH;
    }
    return Main.MATCH;
  }
}
