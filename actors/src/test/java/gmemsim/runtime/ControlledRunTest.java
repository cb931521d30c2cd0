package gmemsim.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.Component;
import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.model.Topology;
import gmemsim.model.mm.Memory;
import gmemsim.model.mm.SplitFolioPath;
import gmemsim.model.thread.HostThread;
import gmemsim.oracle.Oracles;
import gmemsim.runtime.controlled.ControlledRun;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlledRunTest {
  static final Path SCENARIO = Path.of("..", "scenarios", "split-vs-tryget.conf");

  static Scenario scenario(String... sets) {
    return new ScenarioLoader(Oracles.names()).load(SCENARIO, List.of(sets));
  }

  @Test
  void sameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
    Scenario s = scenario();
    RunResult a = Hunt.runOnce(s, 42, new RandomStrategy(), 1_000_000, null);
    RunResult b = Hunt.runOnce(s, 42, new RandomStrategy(), 1_000_000, null);
    RunResult c = Hunt.runOnce(s, 43, new RandomStrategy(), 1_000_000, null);
    assertArrayEquals(a.schedule(), b.schedule());
    assertFalse(java.util.Arrays.equals(a.schedule(), c.schedule()));
  }

  @Test
  void aRecordedScheduleReplaysToTheSameViolations() {
    Scenario s = scenario();
    Hunt.Options o = new Hunt.Options(1, "pct", 3, gmemsim.scenario.Budget.parse("3000runs"), 1_000_000);
    HuntResult h = Hunt.run(s, o, null);
    Finding f = h.findings().get("wrong-folio-ref");
    RunResult again = Hunt.runOnce(s, f.firstRunSeed(), new ReplayStrategy(f.schedule()), 1_000_000, null);
    assertEquals(f.first(), again.violations().get(0));
    // The strategy alone (same run seed, same k) gives the very same run.
    RunResult bySeed = Hunt.runOnce(s, f.firstRunSeed(), new PctStrategy(3, h.pctK()), 1_000_000, null);
    assertArrayEquals(f.schedule(), bySeed.schedule());
  }

  @Test
  void aScheduleFromAnotherModelDivergesLoudly() {
    Scenario s = scenario();
    RunResult a = Hunt.runOnce(s, 5, new RandomStrategy(), 1_000_000, null);
    long[] bad = a.schedule().clone();
    bad[10] = Envelope.id(0, 999_999);
    assertThrows(
        ReplayStrategy.ScheduleDivergence.class,
        () -> Hunt.runOnce(s, 5, new ReplayStrategy(bad), 1_000_000, null));
  }

  @Test
  void everyStepIsADeliveryToAStateOwnerNeverToAThread() {
    Scenario s = scenario();
    Machine m = MachineBuilder.build(s);
    List<Integer> receivers = new ArrayList<>();
    new ControlledRun(
            m,
            3,
            Oracles.create(),
            new DeliveryListener() {
              @Override
              public void onDelivery(long step, Envelope e, List<String> n, List<gmemsim.oracle.Violation> f) {
                receivers.add(e.to());
              }

              @Override
              public void onEnd(long steps, List<gmemsim.oracle.Violation> fired) {}
            })
        .execute(new RandomStrategy(), 1_000_000);
    assertFalse(receivers.isEmpty());
    for (int r : receivers) assertFalse(m.components().get(r).isThread());
  }

  @Test
  void splitAloneFreesEveryTailAndKeepsTheHead() {
    Memory mem = new Memory("mem0", MachineBuilder.BASE_PFN, 1024, 0);
    int h = mem.allocator().allocPages(9, "owner0");
    int freeBefore = mem.allocator().freePages();
    Topology topo = new Topology(MachineBuilder.BASE_PFN, 1024, new int[] {0});
    List<Component> comps =
        List.of(mem, new HostThread("owner0", List.of(new SplitFolioPath(topo, h, 9, 0, 1))));
    RunResult r =
        new ControlledRun(new Machine(comps, topo), 1, Oracles.create(), null)
            .execute(new RandomStrategy(), 100_000);
    assertEquals(freeBefore + 511, mem.allocator().freePages());
    assertEquals(0, mem.pages().folioOrder(h));
    assertEquals(1, mem.pages().refcount(h));
    assertFalse(mem.pages().isLocked(h));
    // Only the owner's head is left over (it was never put): the leak check sees exactly it.
    assertEquals(1, r.violations().size());
    assertTrue(r.violations().get(0).message().contains("order 0"));
    // lock, can_split, freeze, 511 clears, set_order, 511 unfreezes + the original, 511 x
    // (unlock, put), unlock of the original.
    assertEquals(3 + 511 + 1 + 512 + 2 * 511 + 1, r.steps());
  }

  @Test
  void pctRunsTheHighestLaneAndChangePointsReorder() {
    PctStrategy p = new PctStrategy(1, 10);
    p.beginRun(9, 3);
    List<Envelope> pool = List.of(env(0, 1), env(1, 2), env(2, 3));
    int first = p.pick(pool, 0);
    for (int step = 1; step < 5; step++) assertEquals(first, p.pick(pool, step), "no change point at d=1");
    // With d=2 there is one change point; over many seeds both lanes get to run first after it.
    java.util.Set<Integer> after = new java.util.HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      PctStrategy q = new PctStrategy(2, 4);
      q.beginRun(seed, 2);
      List<Envelope> two = List.of(env(0, 1), env(1, 2));
      for (int step = 0; step < 4; step++) q.pick(two, step);
      after.add(q.pick(two, 4));
    }
    assertEquals(2, after.size());
  }

  private static Envelope env(int lane, int seq) {
    return new Envelope(Envelope.id(lane, seq), lane, 9, lane, new gmemsim.model.thread.ThreadProtocol.Ret(0, 0));
  }

  @Test
  void seedsDeriveDeterministically() {
    assertEquals(Seeds.runSeed(1, 7), Seeds.runSeed(1, 7));
    assertFalse(Seeds.runSeed(1, 7) == Seeds.runSeed(2, 7));
    assertEquals(Map.of(), Map.of());
  }
}
