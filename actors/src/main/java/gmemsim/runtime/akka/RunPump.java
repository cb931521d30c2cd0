package gmemsim.runtime.akka;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.runtime.Finding;
import gmemsim.runtime.FindingsLedger;
import gmemsim.runtime.Seeds;
import gmemsim.runtime.akka.AkkaProtocol.CoordinatorMsg;
import gmemsim.runtime.akka.AkkaProtocol.GuardianMsg;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the slots of an actor's machines busy: one {@link RunConversation} child per run in
 * flight, and what the runs came to merged as they end. Shared by {@link HuntCoordinator} (one
 * hunt over a cluster) and {@link LocalRuns} (the seed ranges a swarm node is leased). Not an
 * actor: the actor that owns it hands it each {@link RunConversation.RunOver}.
 */
final class RunPump {
  /** The next run to make, given what was found so far; -1 when none is wanted now. */
  interface Next {
    long run(FindingsLedger found);
  }

  private final ActorContext<CoordinatorMsg> ctx;
  private final Scenario scenario;
  private final long seed;
  private final List<ActorRef<GuardianMsg>> nodes;
  private final int executors;
  private final Set<Integer> owners = new HashSet<>();
  private final ActorRef<CoordinatorMsg>[] slots;
  private long spawned;

  FindingsLedger ledger = new FindingsLedger();
  long runsDone;
  long steps;
  long truncated;
  /** Truncated runs by {@link gmemsim.runtime.CutReason#key}. */
  Map<String, Long> cuts = Map.of();
  /** Runs in which a timing fault held a thread's step back. */
  long faulted;
  long crossNode;
  private long startNanos = System.nanoTime();
  /** Runs that ended in this pump's life (ranges included): how many slots are open (see {@link #fill}). */
  private long ended;
  /** Mean wall time of one step in recent runs (the unit of preemption delays); 0 until known. */
  private double stepNanos;
  /** Steps of a run that ended by itself (a run's length does not depend on its timing faults). */
  private double runSteps;

  @SuppressWarnings("unchecked")
  RunPump(ActorContext<CoordinatorMsg> ctx, Scenario scenario, long seed, List<ActorRef<GuardianMsg>> nodes, int slots) {
    this.ctx = ctx;
    this.scenario = scenario;
    this.seed = seed;
    this.nodes = List.copyOf(nodes);
    this.slots = new ActorRef[slots];
    Machine m = MachineBuilder.build(scenario);
    int t = 0;
    for (int i = 0; i < m.size(); i++) {
      if (m.components().get(i).isExecutor()) t++;
      if (!m.components().get(i).isThread()) owners.add(i);
    }
    this.executors = t;
  }

  /** Starts counting afresh (a new seed range): findings and totals from here on. */
  void reset() {
    ledger = new FindingsLedger();
    runsDone = 0;
    steps = 0;
    truncated = 0;
    faulted = 0;
    cuts = Map.of();
    crossNode = 0;
    startNanos = System.nanoTime();
  }

  /**
   * Starts a run in every idle slot that is open, as long as {@code next} has one. Timing faults
   * are drawn in the measured step time, which grows with the runs in flight (they share the
   * cores and the network). So the slots open as TCP's slow start opens its window: one run alone
   * first (there is no step time before it), then two more for each run that ends, and the step
   * time follows the load up. Started all at once, a first batch ran without faults; started
   * after one lone run, it drew its faults from that run's unloaded step time.
   */
  void fill(Next next) {
    int open = (int) Math.min(slots.length, 1 + 2 * ended);
    for (int i = 0; i < open; i++) if (slots[i] == null) start(i, next);
  }

  private void start(int slot, Next next) {
    long run = next.run(ledger);
    if (run < 0) return;
    RunConversation.Plan plan = new RunConversation.Plan(scenario, nodes, executors, owners,
        scenario.duration(Knobs.RUN_TIMEOUT), Math.round(stepNanos), Math.round(runSteps), startNanos, Set.copyOf(ledger.findings().keySet()));
    // A suffix keeps names unique when a range comes back to this node after its runs' actors stopped.
    slots[slot] = ctx.spawn(RunConversation.create(ctx.getSelf(), plan, slot, run, Seeds.runSeed(seed, run)),
        "run-" + run + "-" + spawned++);
  }

  /** A run ended: merges it and starts the next (and more, while the slots open). Returns the run's error, or null. */
  String over(RunConversation.RunOver o, Next next) {
    slots[o.slot()] = null;
    ended++;
    if (o.error() != null) return o.error();
    runsDone++;
    steps += o.steps();
    crossNode += o.crossNode();
    if (o.truncated()) {
      truncated++;
      cuts = gmemsim.runtime.CutReason.merge(cuts, Map.of(o.cut().key, 1L));
    }
    if (o.preempted() > 0) faulted++;
    if (o.steps() > 0 && o.preempted() == 0 && !o.truncated()) {
      // Per-step wall time of a run nobody held back, seen from its own slot (other slots run
      // alongside); preempted runs would feed their own delays back into the unit.
      double perStep = (System.nanoTime() - o.goNanos()) / (double) o.steps();
      stepNanos = recent(stepNanos, perStep);
    }
    if (o.steps() > 0 && !o.truncated()) runSteps = recent(runSteps, o.steps());
    for (Finding f : o.confirmed()) ledger.merge(f);
    for (String oracle : o.fired()) {
      if (o.confirmed().stream().noneMatch(f -> f.oracle().equals(oracle))) ledger.count(oracle);
    }
    fill(next);
    return null;
  }

  /** A mean that follows recent runs (the load changes through a hunt); the first sample when none yet. */
  private static double recent(double mean, double sample) {
    return mean == 0 ? sample : 0.8 * mean + 0.2 * sample;
  }

  boolean idle() {
    for (ActorRef<CoordinatorMsg> s : slots) if (s != null) return false;
    return true;
  }

  /** Stops every run in flight (the hunt failed). */
  void stopAll() {
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] != null) ctx.stop(slots[i]);
      slots[i] = null;
    }
  }
}
