package gmemsim.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.RuntimeKind;
import gmemsim.runtime.Runtimes;
import gmemsim.runtime.akka.AkkaHunt;
import gmemsim.runtime.swarm.Swarm;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import gmemsim.report.JunitXml;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gmemsim cluster --nodes N}: N nodes on loopback, this JVM the coordinator and N-1
 * children started with {@code gmemsim node}. With local placement (the default) every node makes
 * whole runs of the seed ranges it is leased; with spread placement each machine's components
 * sit on different nodes. The children die with this process (their standard
 * input is a pipe from it, and a shutdown hook kills them on Ctrl-C), so no JVM is left behind.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Run a scenario across N local nodes (separate JVMs on loopback).")
final class ClusterCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Option(names = "--nodes", required = true, description = "number of nodes, this one included")
  int nodes;

  @Option(names = "--cluster-config", paramLabel = "FILE", description = "default: cluster-config/loopback.conf")
  Path clusterConfig;

  @Option(names = "--node-heap", defaultValue = "2g",
      description = "-Xmx of each child node (as ./gmemsim gives this one: a small heap makes the young collections of a"
          + " swarm worker, which allocates a machine per run, several times as frequent)")
  String heap;

  @Option(names = "--placement", defaultValue = "local",
      description = "local: every node makes whole runs of seed ranges the coordinator leases (see --runtime);"
          + " spread: the components of every machine spread over the nodes by role (akka runtime)")
  String placement;

  @Option(names = "--runtime",
      description = "local placement: controlled (default: runs chosen by the strategy) | akka (each machine's"
          + " components are actors of one node, with real parallelism); spread placement is always akka")
  String runtime;

  @Option(names = "--tls",
      description = "Artery over tls-tcp with mutual authentication: throw-away CA and node keys (keytool) in OUT/tls")
  boolean tls;

  @Option(names = "--strict", description = "spread: refuse a placement that puts every component on one node")
  boolean strict;

  @Option(names = "--child-taskset", split = ";", paramLabel = "CPUS",
      description = "pin child node i to the i-th CPU list (taskset -c), e.g. --child-taskset 1 or '1;0'")
  List<String> childTaskset = List.of();

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (nodes < 1) throw new ScenarioException("--nodes " + nodes + ": must be at least 1");
    if (!placement.equals("local") && !placement.equals("spread")) {
      throw new ScenarioException("--placement " + placement + ": not one of [local, spread]");
    }
    boolean local = placement.equals("local");
    RuntimeKind kind = Runtimes.of(runtime != null ? runtime : local ? Runtimes.CONTROLLED : Runtimes.AKKA);
    if (!local && !kind.componentsAreActors()) {
      throw new ScenarioException("--runtime " + kind.name() + ": only with --placement local (spread placement"
          + " puts components on nodes, so it needs them as actors: " + Runtimes.AKKA + ")");
    }
    if (local && strict) throw new ScenarioException("--strict: only with --placement spread (local placement spreads runs, not components)");
    if (run.scenarioFiles.size() != 1) {
      throw new ScenarioException("cluster runs one scenario at a time; got " + run.scenarioFiles.size());
    }
    if (run.allVariants) throw new ScenarioException("--variants: cluster runs one scenario at a time (use --variant NAME)");
    Scenario s = run.load(run.scenarioFiles.get(0));
    Hunt.Options o = run.hunt(s);
    if (o.strategy().equals("dfs")) checkSearch(s, local, kind);
    RunOptions.checkOut(run.outDir(s));
    Path cfgFile = clusterConfig != null ? clusterConfig : home().resolve("cluster-config/loopback.conf");
    if (tls) {
      // Every node reads the generated file: the chosen cluster config, then the TLS settings.
      cfgFile = gmemsim.runtime.akka.TlsKeys.generate(run.outDir(s).resolve("tls"), "gmemsim",
          Files.isRegularFile(cfgFile) ? cfgFile : null);
      System.err.println("gmemsim: TLS keys and settings in " + cfgFile.getParent());
    }
    Config overlay = readOverlay(cfgFile);
    List<List<String>> roles = new ArrayList<>();
    for (int i = 0; i < nodes; i++) roles.add(rolesOf(overlay, i, cfgFile));
    int[] ports = freePorts(nodes);
    // The coordinator orders members by address, and placement goes round-robin in that order:
    // ascending ports (all five digits in the ephemeral range) make node i the i-th member, so
    // the same command places components the same way every time.
    java.util.Arrays.sort(ports);
    String seed = "127.0.0.1:" + ports[0];
    Path dir = run.outDir(s);
    Path logs = dir.resolve("nodes");
    Files.createDirectories(logs);

    // Local nodes share this machine's cores: one swarm worker each per core share, at least one
    // (a node pinned with --child-taskset sees only its own cores and takes them all).
    int workersPerNode = Math.max(1, Runtime.getRuntime().availableProcessors() / nodes);
    List<Process> children = new ArrayList<>();
    Thread killer = new Thread(() -> children.forEach(Process::destroyForcibly), "kill-nodes");
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      for (int i = 1; i < nodes; i++) {
        List<String> cmd = new ArrayList<>();
        if (!childTaskset.isEmpty()) {
          cmd.addAll(List.of("taskset", "-c", childTaskset.get((i - 1) % childTaskset.size())));
        }
        cmd.addAll(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + heap,
            "-Dgmemsim.swarm.workers-per-node=" + (childTaskset.isEmpty() ? workersPerNode : 0), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "node",
            "--host", "127.0.0.1", "--port", String.valueOf(ports[i]), "--seeds", seed,
            "--roles", String.join(",", roles.get(i)), "--exit-with-parent"));
        if (Files.isRegularFile(cfgFile)) cmd.addAll(List.of("--cluster-config", cfgFile.toString()));
        Path log = logs.resolve("node-" + i + ".log");
        children.add(
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
      }
      Config c = AkkaHunt.nodeConfig("127.0.0.1", ports[0], roles.get(0), List.of(seed), overlay)
          .withFallback(com.typesafe.config.ConfigFactory.empty());
      c = com.typesafe.config.ConfigFactory.parseString("gmemsim.swarm.workers-per-node = " + workersPerNode).withFallback(c);
      if (strict) {
        c = com.typesafe.config.ConfigFactory.parseString("gmemsim.cluster.strict-placement = on").withFallback(c);
      }
      java.util.function.Supplier<String> deadChild = () -> {
        for (int i = 0; i < children.size(); i++) {
          Process p = children.get(i);
          if (!p.isAlive()) {
            return "node " + (i + 1) + " " + roles.get(i + 1) + " exited with code " + p.exitValue()
                + " (log: " + logs.resolve("node-" + (i + 1) + ".log") + ")";
          }
        }
        return null;
      };
      HuntResult r;
      try (ProgressDisplay progress = run.progress(s)) {
        // Local placement survives a lost node (its runs are handed out again): no watchdog.
        r = local
            ? Swarm.runCoordinator(s, o, progress, c, nodes, null, kind)
            : AkkaHunt.runCoordinator(s, o, progress, c, nodes, deadChild);
      }
      Results.Written w = Results.write(s, r, kind, nodes, o.maxSteps(), dir, run.untilConfidence(), null);
      if (run.junitXml != null) JunitXml.write(run.junitXml, "gmemsim", List.of(w.junitCase()));
      return w.exitCode();
    } finally {
      for (Process p : children) {
        if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException ignored) {
        // already shutting down: the hook runs anyway
      }
    }
  }

  /**
   * An exhaustive search spreads as pieces of one plain search over nodes that make whole runs in
   * the controlled runtime: a claim or a resumed frontier is searched on one node, and a shard is
   * what the cluster does by itself.
   */
  private static void checkSearch(Scenario s, boolean local, RuntimeKind kind) {
    if (!local || kind.componentsAreActors()) {
      throw new ScenarioException(s.where(gmemsim.scenario.Knobs.STRATEGY) + ": dfs on a cluster runs with --placement"
          + " local and the controlled runtime (each node searches whole pieces of the search)");
    }
    var k = new Object() {
      void refuse(gmemsim.scenario.Knob key, boolean set) {
        if (set) {
          throw new ScenarioException(s.where(key) + ": a cluster searches the whole of a plain search in pieces; "
              + key.key() + " is searched with 'gmemsim run' on one node");
        }
      }
    };
    k.refuse(gmemsim.scenario.Knobs.SCHEDULE, !s.strings(gmemsim.scenario.Knobs.SCHEDULE).isEmpty());
    k.refuse(gmemsim.scenario.Knobs.SCHEDULE_FILE, !s.string(gmemsim.scenario.Knobs.SCHEDULE_FILE).isEmpty());
    k.refuse(gmemsim.scenario.Knobs.RESUME, !s.string(gmemsim.scenario.Knobs.RESUME).isEmpty());
    k.refuse(gmemsim.scenario.Knobs.SHARD, !s.string(gmemsim.scenario.Knobs.SHARD).isEmpty());
    k.refuse(gmemsim.scenario.Knobs.DFS_ESTIMATE, s.intValue(gmemsim.scenario.Knobs.DFS_ESTIMATE) > 0);
  }

  private static Path home() {
    String h = System.getProperty("gmemsim.home");
    return h != null ? Path.of(h) : Path.of(".");
  }

  private static Config readOverlay(Path f) {
    if (!Files.isRegularFile(f)) return ConfigFactory.empty();
    try {
      return ConfigFactory.parseFile(f.toFile());
    } catch (ConfigException e) {
      throw new ScenarioException(e.getMessage(), e);
    }
  }

  /** Roles of node i: gmemsim.cluster.node-roles[i], or extra-node-roles past its end. */
  private static List<String> rolesOf(Config c, int i, Path file) {
    try {
      if (!c.hasPath("gmemsim.cluster.node-roles")) {
        return i == 0 ? AkkaHunt.ALL_ROLES : List.of("memory", "cpu", "kvm");
      }
      List<? extends List<?>> all = c.getList("gmemsim.cluster.node-roles").unwrapped().stream()
          .map(v -> (List<?>) v).toList();
      List<?> r = i < all.size() ? all.get(i) : c.getStringList("gmemsim.cluster.extra-node-roles");
      return r.stream().map(String::valueOf).toList();
    } catch (ConfigException | ClassCastException e) {
      throw new ScenarioException(file + ": gmemsim.cluster: " + e.getMessage(), e);
    }
  }

  private static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        held.add(ss);
        ports[i] = ss.getLocalPort();
      }
    } finally {
      for (ServerSocket ss : held) ss.close();
    }
    return ports;
  }
}
