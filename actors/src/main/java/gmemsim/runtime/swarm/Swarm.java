package gmemsim.runtime.swarm;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.RuntimeKind;
import gmemsim.runtime.Runtimes;
import gmemsim.runtime.akka.AkkaHunt;
import gmemsim.scenario.Scenario;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Swarm placement (DESIGN §5): every node makes whole runs (in the controlled runtime, or with
 * its own actors in the akka runtime), the
 * coordinator node leases seed ranges to them and merges what they found. The coordinator node
 * works too, so {@code --nodes 1} is the same hunt on one JVM.
 */
public final class Swarm {
  private Swarm() {}

  /**
   * Runs a hunt with this JVM as the coordinator (and one worker) of a cluster; leases start once
   * {@code nodes} nodes (this one included) joined, or after {@link SwarmCoordinator#FORMING_TIMEOUT}.
   *
   * @param watchdog called every 200 ms while waiting; a non-null answer aborts the hunt with it
   */
  public static HuntResult runCoordinator(
      Scenario s, Hunt.Options o, Hunt.Progress p, Config c, int nodes, Supplier<String> watchdog) {
    return runCoordinator(s, o, p, c, nodes, watchdog, Runtimes.of(Runtimes.CONTROLLED));
  }

  /** @param runtime where each node makes its runs: a strategy on one thread, or the node's own actors */
  public static HuntResult runCoordinator(
      Scenario s, Hunt.Options o, Hunt.Progress p, Config c, int nodes, Supplier<String> watchdog, RuntimeKind runtime) {
    long pctK = runtime.pctK(s, o);
    CompletableFuture<HuntResult> result = new CompletableFuture<>();
    AtomicReference<ActorRef<SwarmProtocol.CoordinatorMsg>> coord = new AtomicReference<>();
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.setup(
                ctx -> {
                  // An exhaustive search goes out as pieces of the search, a sampling hunt as seed ranges.
                  coord.set(ctx.spawn(o.strategy().equals("dfs") && !runtime.componentsAreActors()
                      ? PieceProducer.create(s, o, nodes, result, p)
                      : SwarmCoordinator.create(s, o, pctK, nodes, runtime, result, p), "swarm-coordinator"));
                  spawnWorkers(ctx, why -> {});
                  return Behaviors.empty();
                }),
            AkkaHunt.SYSTEM,
            c);
    return AkkaHunt.await(system, c, result, watchdog, why -> {
      if (coord.get() != null) coord.get().tell(new SwarmCoordinator.Abort(why));
    });
  }

  /**
   * The swarm workers of a node, next to the spread guardian on worker nodes (whichever
   * coordinator shows up): one per core the JVM may use ({@code gmemsim.swarm.workers-per-node},
   * 0 = all), each making runs on a thread of its own. {@code onEnd} is called once, by the first
   * worker that ends.
   */
  public static void spawnWorkers(akka.actor.typed.javadsl.ActorContext<?> ctx, Consumer<String> onEnd) {
    int n = ctx.getSystem().settings().config().getInt("gmemsim.swarm.workers-per-node");
    if (n <= 0) n = Runtime.getRuntime().availableProcessors();
    java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
    Consumer<String> once = why -> {
      if (ended.compareAndSet(false, true)) onEnd.accept(why);
    };
    for (int i = 0; i < n; i++) {
      ctx.spawn(SwarmWorker.create(once), "swarm-worker-" + i);
      ctx.spawn(PieceWorker.create(), "dfs-piece-worker-" + i);
    }
  }
}
