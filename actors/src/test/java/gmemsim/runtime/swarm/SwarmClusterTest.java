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
import gmemsim.runtime.ClusterReport;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Swarm placement on a real cluster of three ActorSystems in this JVM on loopback ports: the
 * nodes split the runs, and the merged result is the one-node hunt's, also when a worker is
 * downed in the middle (its lease is made again by the others).
 */
class SwarmClusterTest {
  private static final Path SCENARIO = Path.of("..", "scenarios", "split-vs-tryget.conf");
  private final List<ActorSystem<Void>> workers = new ArrayList<>();

  @AfterEach
  void stopWorkers() throws Exception {
    gmemsim.testutil.Loopback.terminate(workers);
  }

  private static Scenario scenario() {
    return new ScenarioLoader(Oracles.names()).load(SCENARIO, List.of());
  }

  /** Two worker nodes joining a coordinator on a free port; returns the coordinator's config. */
  private Config startWorkers() throws Exception {
    return gmemsim.testutil.Loopback.swarmOfThree(workers);
  }

  private static Hunt.Options runs(long n) {
    return new Hunt.Options(1, "pct", 4, Budget.parse(n + "runs"), 1_000_000);
  }

  /** Counts and first runs equal the one-node hunt's over the same runs: the ranges merge exactly. */
  private static void assertSameAsOneNode(Scenario s, HuntResult swarm, HuntResult one) {
    assertEquals(one.runs(), swarm.runs());
    assertEquals(one.steps(), swarm.steps(), "every run made once, and the same runs");
    assertEquals(one.findings().keySet(), swarm.findings().keySet());
    for (Map.Entry<String, Finding> e : one.findings().entrySet()) {
      Finding f = swarm.findings().get(e.getKey());
      assertEquals(e.getValue().count(), f.count(), e.getKey());
      assertEquals(e.getValue().firstRun(), f.firstRun(), e.getKey());
      // The same distinct races, with the same counts and first runs, however the ranges merged.
      assertEquals(races(e.getValue()), races(f), e.getKey());
      RunResult again = Hunt.runOnce(s, f.firstRunSeed(), new ReplayStrategy(f.schedule()), Long.MAX_VALUE, null);
      assertTrue(again.violations().contains(f.first()), "the finding replays: " + f.first());
    }
    assertEquals(one.coverage().outcomes(), swarm.coverage().outcomes());
    assertEquals(one.coverage().windows(), swarm.coverage().windows());
    // The timeline, drawn in run order from the ranges, and the sample clean run are one node's.
    assertEquals(one.coverage().timeline().windowsPerRun(), swarm.coverage().timeline().windowsPerRun());
    assertEquals(one.coverage().timeline().cumulativeHits(), swarm.coverage().timeline().cumulativeHits());
    assertEquals(one.sample().firstRun(), swarm.sample().firstRun());
    assertTrue(swarm.cluster().everyRunMadeOnce());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"split-vs-tryget.conf", "memory-failure-vs-populate.conf"})
  void threeNodesSplitTheRunsAndMergeToTheOneNodeResult(String file) throws Exception {
    // memory-failure-vs-populate deadlocks two ways: its races must merge as one node counts them.
    Scenario s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", file), List.of());
    Config c = startWorkers();
    HuntResult r = Swarm.runCoordinator(s, runs(20000), null, c, 3, null);
    assertNull(r.error());
    ClusterReport cr = r.cluster();
    assertEquals(3, cr.nodes().size(), cr.nodes().toString());
    assertTrue(cr.nodes().stream().allMatch(n -> n.runs() > 0), "every node made runs: " + cr.nodes());
    assertEquals(List.of(), cr.losses());
    // Per node, the runs each oracle fired in add up to the hunt's counts.
    for (Finding f : r.findings().values()) {
      assertEquals(f.count(), cr.nodes().stream().mapToLong(n -> n.findings().getOrDefault(f.oracle(), 0L)).sum(), f.oracle());
    }
    assertSameAsOneNode(s, r, Hunt.run(s, runs(20000), null));
  }

  @Test
  void withTheAkkaRuntimeEachNodeMakesWholeRunsWithItsOwnActors() throws Exception {
    Scenario s = scenario();
    Config c = startWorkers();
    HuntResult r = Swarm.runCoordinator(s, runs(600), null, c, 3, null, gmemsim.runtime.Runtimes.of(gmemsim.runtime.Runtimes.AKKA));
    assertNull(r.error());
    assertEquals(600, r.runs());
    assertEquals("akka", r.strategy());
    assertNull(r.coverage(), "the akka runtime counts no coverage");
    assertTrue(r.cluster().everyRunMadeOnce());
    assertTrue(r.cluster().nodes().stream().filter(n -> n.runs() > 0).count() >= 2, "runs spread: " + r.cluster().nodes());
    assertEquals(0, r.crossNodeMessages(), "a machine's messages stay on its node");
    // What an akka run found comes with the schedule its receive logs replay to. The race shows in
    // about one akka run in seventy on an idle machine (7, 10 and 8 of 600 with the CLI), far
    // fewer when the rest of the suite loads both cores (CI once saw none in 600), so a miss
    // gets more rounds of 600 under the next seeds.
    long seed = 1;
    while (r.findings().isEmpty() && seed < 4) {
      seed++;
      gmemsim.testutil.Loopback.terminate(workers);
      workers.clear();
      c = startWorkers();
      r = Swarm.runCoordinator(s, new Hunt.Options(seed, "pct", 4, Budget.parse("600runs"), 1_000_000), null, c, 3,
          null, gmemsim.runtime.Runtimes.of(gmemsim.runtime.Runtimes.AKKA));
      assertNull(r.error());
    }
    assertTrue(!r.findings().isEmpty(), "found nothing in " + seed + " rounds of 600 akka runs");
    for (Finding f : r.findings().values()) {
      RunResult again = Hunt.runOnce(s, f.firstRunSeed(), new ReplayStrategy(f.schedule()), Long.MAX_VALUE, null);
      assertTrue(again.violations().stream().anyMatch(v -> v.oracle().equals(f.oracle())), f.oracle());
    }
  }

  @Test
  void aDownedWorkerLosesNoRunAndNoFinding() throws Exception {
    Scenario s = scenario();
    Config c = startWorkers();
    java.util.concurrent.atomic.AtomicLong runsSoFar = new java.util.concurrent.atomic.AtomicLong();
    Hunt.Progress progress = (runs, steps, ms, fired) -> runsSoFar.set(runs);
    CompletableFuture<HuntResult> hunt =
        CompletableFuture.supplyAsync(() -> Swarm.runCoordinator(s, runs(60000), progress, c, 3, null));
    // Down worker 0 once the hunt is under way: leases start when all three nodes are in, and a
    // worker holds one at every moment after its first.
    ActorSystem<Void> victim = workers.get(0);
    Cluster cv = Cluster.get(victim);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline
        && runsSoFar.get() < 3000) {
      Thread.sleep(20);
    }
    Thread.sleep(300);
    cv.manager().tell(new Down(cv.selfMember().address()));
    HuntResult r = hunt.get(120, TimeUnit.SECONDS);
    assertNull(r.error());
    ClusterReport cr = r.cluster();
    assertEquals(1, cr.losses().size(), cr.losses().toString());
    assertTrue(cr.reissuedRuns() > 0, "the downed node held a lease: " + cr);
    assertSameAsOneNode(s, r, Hunt.run(s, runs(60000), null));
  }

  private static java.util.List<String> races(Finding f) {
    return f.races().stream().map(r -> r.signature() + " x" + r.count() + " @" + r.firstRun()).toList();
  }
}
