package gmemsim.runtime.akka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import gmemsim.oracle.Oracles;
import gmemsim.runtime.Finding;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.ReplayStrategy;
import gmemsim.runtime.RunResult;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Akka runtime on one node (every message through Kryo) and on a real cluster of three
 * ActorSystems in this JVM on loopback ports.
 */
class AkkaRuntimeTest {
  private static final Path SCENARIO = Path.of("..", "scenarios", "split-vs-tryget.conf");
  private final List<ActorSystem<Void>> workers = new ArrayList<>();

  @AfterEach
  void stopWorkers() throws Exception {
    gmemsim.testutil.Loopback.terminate(workers);
  }

  private static Scenario scenario(String... sets) {
    return new ScenarioLoader(Oracles.names()).load(SCENARIO, List.of(sets));
  }

  private static Hunt.Options options(String budget, boolean stopAtFirst) {
    return new Hunt.Options(1, "pct", 4, Budget.parse(budget), 1_000_000, stopAtFirst, null);
  }

  private static void assertReplays(Scenario s, Finding f) {
    RunResult again = Hunt.runOnce(s, f.firstRunSeed(), new ReplayStrategy(f.schedule()), Long.MAX_VALUE, null);
    assertTrue(again.violations().contains(f.first()), "the log-derived schedule replays " + f.first());
  }

  @Test
  void oneNodeWithEveryMessageSerializedFindsTheRaceAndItReplays() {
    Scenario s = scenario("runtime.parallel-runs=4");
    Config overlay = ConfigFactory.parseString("akka.actor.serialize-messages = on");
    HuntResult r = AkkaHunt.runEmbedded(s, options("60s", true), null, overlay);
    assertNull(r.error());
    Finding f = r.findings().get("refcount-error");
    assertNotNull(f, "found " + r.findings().keySet() + " in " + r.runs() + " runs");
    assertEquals(0, r.crossNodeMessages(), "one node: nothing crosses");
    assertReplays(s, f);
  }

  @Test
  void pacedRunsAreCountedAndTheHuntStillFindsTheRace() {
    // Every thread paced by up to 1,000 steps' time, and no other timing fault. The first run goes
    // alone and unpaced (it measures the step time); the others are paced, since 1,000 one-node steps
    // are past the scheduler's 1 ms tick even on a fast machine (20 were not: a pace below the tick
    // is not applied). Paces are timing only: what the hunt finds still replays.
    Path file = Path.of("..", "scenarios", "lookup-vs-truncate.conf");
    Scenario paced = new ScenarioLoader(Oracles.names()).load(file, List.of("runtime.parallel-runs=2",
        "faults.preempt-slow-lane=0", "faults.preempt-unlock=0", "faults.preempt-stagger=0", "faults.preempt-pace-lane=1.0",
        "faults.preempt-pace-steps=1000"));
    // The race shows in about one paced run in four (7, 9 and 9 of 30 with the CLI, before and after
    // guest_memfd became kernel source, and with stepless calls expanded): 12 runs miss it with a
    // chance of about 3% (it happened in CI), so a miss gets 12 more, and 24 miss it about once in
    // a thousand.
    HuntResult r = AkkaHunt.runEmbedded(paced, options("12runs", false), null, ConfigFactory.empty());
    assertNull(r.error());
    assertEquals(12, r.runs());
    assertTrue(r.faultedRuns() >= 8, r.faultedRuns() + " of " + r.runs() + " runs paced");
    Finding f = r.findings().get("direct-map-fault");
    if (f == null) f = AkkaHunt.runEmbedded(paced, options("12runs", false), null, ConfigFactory.empty()).findings().get("direct-map-fault");
    assertNotNull(f, "found " + r.findings().keySet() + " in " + r.runs() + " runs, and nothing in 12 more");
    assertReplays(paced, f);
    Scenario unpaced = new ScenarioLoader(Oracles.names()).load(file, List.of("runtime.parallel-runs=2",
        "faults.preempt-slow-lane=0", "faults.preempt-unlock=0", "faults.preempt-stagger=0", "faults.preempt-pace-lane=0"));
    HuntResult u = AkkaHunt.runEmbedded(unpaced, options("12runs", false), null, ConfigFactory.empty());
    assertEquals(0, u.faultedRuns(), "no timing fault asked, none counted");
  }

  @Test
  void staggeredStartsOpenAWindowThatNeedsOneWholePathBeforeAnother() {
    // tdx-two-vcpus-shared-conversion: one vCPU maps and accepts the 2M leaf, then the VMM's
    // pre-set split of it fails, and only then does the other vCPU fault (it retries for good).
    // Staggered starts are the only timing fault here. Every run's vCPUs retry a little, so this
    // also fails if a spinner's back-off counts as a fault again: no run would then be free of
    // faults, no step time would be measured, and every start delay would be zero.
    Scenario s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", "tdx-two-vcpus-shared-conversion.conf"),
        List.of("runtime.parallel-runs=4", "faults.preempt-slow-lane=0", "faults.preempt-unlock=0", "faults.preempt-pace-lane=0",
            "faults.preempt-stagger=1.0"));
    // The same missing invalidate_end also shows as unbalanced in runs no fault comes back to: wait for the livelock.
    HuntResult r = AkkaHunt.runEmbedded(s, new Hunt.Options(1, "pct", 4, Budget.parse("90s"), 1_000_000, true, "livelock"), null,
        ConfigFactory.empty());
    assertNull(r.error());
    assertTrue(r.faultedRuns() > 0, "no run of " + r.runs() + " started staggered");
    Finding f = r.findings().get("livelock");
    assertNotNull(f, "found " + r.findings().keySet() + " in " + r.runs() + " runs");
    assertReplays(s, f);
  }

  @Test
  void aRunThatSpinsPastTheStepLimitIsTruncatedAndTheHuntGoesOn() {
    // With a step limit below what a run needs (a spinning thread would exceed any), runs are cut
    // short, and each is counted as truncated instead of growing its logs without end.
    Scenario s = scenario("runtime.parallel-runs=2", "run.max-steps=100");
    HuntResult r = AkkaHunt.runEmbedded(s, options("40runs", false), null, ConfigFactory.empty());
    assertNull(r.error());
    assertEquals(40, r.runs());
    assertTrue(r.truncatedRuns() > 0, "truncated " + r.truncatedRuns());
    assertTrue(r.truncatedRuns() <= r.runs());
    assertEquals(java.util.Map.of("step-limit", r.truncatedRuns()), r.cutShort(), "every cut run says why");
  }

  @Test
  void aLivelockIsCutAndItsLogReplayConfirmsIt() {
    // tdx-attr-split-error as posted: a failed pre-set split leaves the invalidation raised and
    // vCPU 0 retries forever while the VMM sleeps. No actor sees that; the watch cuts the run and
    // the controlled runtime's own livelock test must fire in the log replay.
    Scenario s = new ScenarioLoader(Oracles.names())
        .load(Path.of("..", "scenarios", "tdx-attr-split-error.conf"), List.of("runtime.parallel-runs=4"));
    HuntResult r = AkkaHunt.runEmbedded(s, new Hunt.Options(1, "pct", 4, Budget.parse("60s"), 1_000_000, true, "livelock"), null,
        ConfigFactory.empty());
    assertNull(r.error());
    Finding f = r.findings().get("livelock");
    assertNotNull(f, "found " + r.findings().keySet() + " in " + r.runs() + " runs");
    assertReplays(s, f);
  }

  private Config startCluster() throws Exception {
    return startCluster(List.of("memory"));
  }

  /** Three nodes: the coordinator with the kvm role, one with {@code second}'s roles, one with cpu. */
  private Config startCluster(List<String> second) throws Exception {
    int port = gmemsim.testutil.Loopback.freePort();
    String seed = "127.0.0.1:" + port;
    Config empty = ConfigFactory.empty();
    workers.add(AkkaHunt.startWorker(AkkaHunt.nodeConfig("127.0.0.1", 0, second, List.of(seed), empty)));
    workers.add(AkkaHunt.startWorker(AkkaHunt.nodeConfig("127.0.0.1", 0, List.of("cpu"), List.of(seed), empty)));
    return AkkaHunt.nodeConfig("127.0.0.1", port, List.of("coordinator", "kvm"), List.of(seed), empty);
  }

  @Test
  void threeNodesFormACluster_FindTheRace_AndItsLogsReplay() throws Exception {
    // Real timing on three nodes: in full suites on two cores the first finding took 51 s once, and
    // once none came within 90 s (6,787 runs). The hunt stops at its first finding, so the longer
    // budget costs time only when it would have failed.
    Scenario s = scenario();
    HuntResult r = AkkaHunt.runCoordinator(s, options("180s", true), null, startCluster(), 3, null);
    assertNull(r.error());
    Finding f = r.findings().get("refcount-error");
    assertNotNull(f, "found " + r.findings().keySet() + " in " + r.runs() + " runs");
    assertTrue(r.crossNodeMessages() > 0, "struct pages and threads live on different nodes");
    assertReplays(s, f);
  }

  @Test
  void aPreemptionAfterALockReleaseOpensAHandOverWindowOnASpreadCluster() throws Exception {
    // nested-temp-restore: one KVM writer restores the direct-map entry and hands cpa_lock to the
    // other, whose map, store and unmap must all fit before the first one's store. The nodes have
    // cluster-config/loopback.conf's roles, so one writer shares a node with the direct map and
    // the other does not. Without timing faults no run of 300 opened the window; with preemption
    // after a release as the only fault, 69 of 300 did, the first in run 14 (runs before a slot's
    // second have no releases to draw over). So this fails if a release is not marked, or the
    // point is never drawn. All 40 runs are made: on a loaded machine the first run can open the
    // window by real timing alone, and a hunt that stopped there would have drawn no point yet.
    Scenario s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", "nested-temp-restore.conf"),
        List.of("faults.preempt-slow-lane=0", "faults.preempt-pace-lane=0", "faults.preempt-stagger=0", "faults.preempt-unlock=1.0"));
    HuntResult r = AkkaHunt.runCoordinator(s, options("40runs", false), null, startCluster(List.of("memory", "cpu")), 3, null);
    assertNull(r.error());
    assertTrue(r.faultedRuns() > 0, "no run of " + r.runs() + " was preempted after a release");
    Finding f = r.findings().get("direct-map-fault");
    assertNotNull(f, "found " + r.findings().keySet() + " in " + r.runs() + " runs");
    assertReplays(s, f);
  }

  /**
   * Spread placement on a KVM scenario and a direct-map one: vCPU, TLB flush, MMU, guest_memfd and
   * direct-map messages cross nodes, through Kryo only (Java serialization is off), so an
   * unregistered message class would fail the hunt.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"fault-vs-punch-hole.conf", "direct-map-rfc-v3.conf"})
  void kvmAndDirectMapMessagesCrossNodes(String file) throws Exception {
    Scenario s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", file), List.of());
    HuntResult r = AkkaHunt.runCoordinator(s, options("40runs", false), null, startCluster(), 3, null);
    assertNull(r.error());
    assertEquals(40, r.runs());
    assertTrue(r.crossNodeMessages() > 1000, r.crossNodeMessages() + " model messages crossed nodes");
    assertTrue(r.placement().values().stream().distinct().count() >= 2, "components on several nodes: " + r.placement());
  }

  @Test
  void aLostNodeFailsTheHuntLoudlyAndKeepsWhatWasFound() throws Exception {
    // direct-map-rfc-v3 leaks in nearly every spread run, so something is found before the node
    // goes. split-vs-tryget, used before, needed 98 spread runs with seed 1 at 0f3293e and 341 at
    // 45673db: past the 40 s fallback on a slow machine, so nothing was there to keep.
    Scenario s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", "direct-map-rfc-v3.conf"), List.of());
    Config c = startCluster();
    ActorSystem<Void> cpu = workers.get(1);
    HuntResult r =
        AkkaHunt.runCoordinator(
            s, options("120s", false),
            (runs, steps, ms, fired) -> {
              if (fired > 0 || ms > 40_000) cpu.terminate(); // the node hosting every thread goes away
            },
            c, 3, null);
    assertNotNull(r.error(), "a lost node must fail the hunt");
    assertTrue(r.error().contains("left the cluster") || r.error().contains("unreachable"), r.error());
    assertTrue(r.findings().containsKey("direct-map-leak"), "what was found before is kept: " + r.findings().keySet());
  }
}
