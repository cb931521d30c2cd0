package gmemsim.runtime.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Down;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import gmemsim.oracle.Oracles;
import gmemsim.runtime.Finding;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.ReplayStrategy;
import gmemsim.runtime.RunResult;
import gmemsim.runtime.akka.AkkaHunt;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An exhaustive search spread over three ActorSystems on loopback ports, its pieces handed out by
 * Akka's work pulling: the merged search is the one-node search of the same pieces, run for run,
 * also when a worker node is downed while it holds a piece.
 */
class SwarmSearchTest {
  private static final Path SCENARIO = Path.of("..", "scenarios", "split-vs-tryget-dfs.conf");
  private final List<ActorSystem<Void>> workers = new ArrayList<>();

  @AfterEach
  void stopWorkers() throws Exception {
    gmemsim.testutil.Loopback.terminate(workers);
  }

  private static Scenario load(String variant, String... sets) {
    return new ScenarioLoader(Oracles.names()).load(SCENARIO, variant, List.of(sets));
  }

  private Config startWorkers() throws Exception {
    return gmemsim.testutil.Loopback.swarmOfThree(workers);
  }

  private static Hunt.Options dfs() {
    return new Hunt.Options(1, "dfs", 3, Budget.parse("10m"), 1_000_000);
  }

  /** The pieces one after another on one node (shard 1 of 1): the order the swarm numbers runs in. */
  private static HuntResult oneNode(Scenario s) {
    return Hunt.run(s, dfs(), null);
  }

  private static void assertSameSearch(Scenario s, HuntResult one, HuntResult swarm) {
    assertNull(swarm.error());
    assertEquals(one.verification().finished(), swarm.verification().finished());
    assertEquals(one.runs(), swarm.runs(), "every run of the search made once");
    assertEquals(one.steps(), swarm.steps());
    assertEquals(one.verification().complete(), swarm.verification().complete());
    assertEquals(one.verification().stopped(), swarm.verification().stopped());
    assertEquals(one.verification().deepest(), swarm.verification().deepest());
    assertEquals(one.findings().keySet(), swarm.findings().keySet());
    for (Finding f : one.findings().values()) {
      Finding g = swarm.findings().get(f.oracle());
      assertEquals(f.count(), g.count(), f.oracle());
      assertEquals(f.firstRun(), g.firstRun(), f.oracle());
      RunResult again = Hunt.runOnce(s, g.firstRunSeed(), new ReplayStrategy(g.schedule()), 1_000_000, null);
      assertTrue(again.violations().contains(g.first()), "the swarm's finding replays: " + g.first());
    }
    assertTrue(swarm.cluster().everyRunMadeOnce());
  }

  @Test
  void threeNodesSearchThePiecesAndMergeToTheOneNodeSearch() throws Exception {
    Scenario s = load("rfc-2024");
    HuntResult swarm = Swarm.runCoordinator(s, dfs(), null, startWorkers(), 3, null);
    assertSameSearch(s, oneNode(load("rfc-2024", "run.shard=1/1")), swarm);
    assertTrue(swarm.findings().containsKey("refcount-error"), swarm.findings().keySet().toString());
    assertEquals(3, swarm.cluster().nodes().size(), "every node searched pieces: " + swarm.cluster().nodes());
    assertTrue(swarm.verification().statement(true).startsWith("explored every schedule with at most 2 preemptions"),
        swarm.verification().statement(true));
  }

  @Test
  void aDownedWorkerNodeLosesNoPiece() throws Exception {
    // Bound 3 of the fixed kernel: some 260,000 runs, long enough to down a node in the middle.
    Scenario s = load("mainline", "run.preemption-bound=3");
    Config c = startWorkers();
    AtomicLong runsSoFar = new AtomicLong();
    Hunt.Progress progress = (runs, steps, ms, fired) -> runsSoFar.set(runs);
    CompletableFuture<HuntResult> hunt = CompletableFuture.supplyAsync(() -> Swarm.runCoordinator(s, dfs(), progress, c, 3, null));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && runsSoFar.get() < 20_000) Thread.sleep(20);
    Cluster victim = Cluster.get(workers.get(0));
    victim.manager().tell(new Down(victim.selfMember().address()));
    HuntResult swarm = hunt.get(300, TimeUnit.SECONDS);
    assertEquals(1, swarm.cluster().losses().size(), swarm.cluster().losses().toString());
    assertSameSearch(s, oneNode(load("mainline", "run.preemption-bound=3", "run.shard=1/1")), swarm);
    assertTrue(swarm.verification().statement(false).startsWith("verified up to 3 preemptions"),
        swarm.verification().statement(false));
  }
}
