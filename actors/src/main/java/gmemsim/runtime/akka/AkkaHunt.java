package gmemsim.runtime.akka;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.akka.AkkaProtocol.CoordinatorMsg;
import gmemsim.scenario.Scenario;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Starts Akka nodes for a hunt: an embedded single node, a coordinator node, or a worker node. */
public final class AkkaHunt {
  public static final String SYSTEM = "gmemsim";
  /** Every role a single node plays when it is the whole cluster. */
  public static final List<String> ALL_ROLES = List.of("coordinator", "memory", "cpu", "kvm");

  private AkkaHunt() {}

  /**
   * The configuration of one node.
   *
   * @param overlay settings from a cluster-config file (may be empty)
   * @param seeds "host:port" of the seed nodes; empty to join itself
   */
  public static Config nodeConfig(String host, int port, List<String> roles, List<String> seeds, Config overlay) {
    Config c =
        ConfigFactory.empty()
            .withValue("akka.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
            .withValue("akka.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
            .withValue("akka.cluster.roles", ConfigValueFactory.fromIterable(roles))
            .withValue(
                "akka.cluster.seed-nodes",
                ConfigValueFactory.fromIterable(
                    seeds.stream().map(s -> "akka://" + SYSTEM + "@" + s).toList()));
    return ConfigFactory.load(
        c.withFallback(overlay).withFallback(ConfigFactory.parseResources("gmemsim-akka.conf")));
  }

  /** One node that is the whole cluster (the default of {@code --runtime akka}). */
  public static HuntResult runEmbedded(Scenario s, Hunt.Options o, Hunt.Progress p, Config overlay) {
    Config c = nodeConfig("127.0.0.1", 0, ALL_ROLES, List.of(), overlay);
    return runCoordinator(s, o, p, c, 1, null);
  }

  /**
   * Runs a hunt with this JVM as the coordinator node of a cluster of {@code nodes} members.
   *
   * @param watchdog called every 200 ms while waiting; a non-null answer aborts the hunt with it
   */
  public static HuntResult runCoordinator(
      Scenario s, Hunt.Options o, Hunt.Progress p, Config c, int nodes, java.util.function.Supplier<String> watchdog) {
    CompletableFuture<HuntResult> result = new CompletableFuture<>();
    AtomicReference<ActorRef<CoordinatorMsg>> coord = new AtomicReference<>();
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.setup(
                ctx -> {
                  ctx.spawn(NodeGuardian.create(() -> {}), "guardian");
                  coord.set(ctx.spawn(HuntCoordinator.create(s, o, nodes, result, p), "coordinator"));
                  return Behaviors.empty();
                }),
            SYSTEM,
            c);
    return await(system, c, result, watchdog, why -> {
      if (coord.get() != null) coord.get().tell(new HuntCoordinator.Abort(why));
    });
  }

  /**
   * Joins the node to itself when it has no seeds, waits for the hunt's result (asking {@code
   * watchdog} every 200 ms and passing a non-null answer to {@code abort}), then stops the node.
   */
  public static HuntResult await(ActorSystem<?> system, Config c, CompletableFuture<HuntResult> result,
      java.util.function.Supplier<String> watchdog, java.util.function.Consumer<String> abort) {
    try {
      if (c.getList("akka.cluster.seed-nodes").isEmpty()) {
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      while (true) {
        try {
          return result.get(200, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          String why = watchdog == null ? null : watchdog.get();
          if (why != null) abort.accept(why);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      terminate(system);
    }
  }

  /** Stops a node and waits for it, a bounded time: the process is about to exit anyway. */
  public static void terminate(ActorSystem<?> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // exiting regardless
    }
  }

  /**
   * A worker node: hosts components for a spread hunt, or makes whole runs for a swarm hunt,
   * until the coordinator says the hunt is over.
   *
   * @return null, or why the node gave up (its coordinator was lost)
   */
  public static String runWorker(Config c) throws InterruptedException {
    CompletableFuture<String> done = new CompletableFuture<>();
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.setup(
                ctx -> {
                  ctx.spawn(NodeGuardian.create(() -> done.complete(null)), "guardian");
                  gmemsim.runtime.swarm.Swarm.spawnWorkers(ctx, done::complete);
                  return Behaviors.empty();
                }),
            SYSTEM,
            c);
    system.getWhenTerminated().thenRun(() -> done.complete(null));
    try {
      String why = done.get();
      // Give the last replies a moment to leave before the node goes away.
      Thread.sleep(300);
      return why;
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      terminate(system);
    }
  }

  /** For tests: a started worker system in this JVM. */
  public static ActorSystem<Void> startWorker(Config c) {
    return ActorSystem.create(
        Behaviors.setup(
            ctx -> {
              ctx.spawn(NodeGuardian.create(() -> ctx.getSystem().terminate()), "guardian");
              gmemsim.runtime.swarm.Swarm.spawnWorkers(ctx, why -> ctx.getSystem().terminate());
              return Behaviors.empty();
            }),
        SYSTEM,
        c);
  }

}
