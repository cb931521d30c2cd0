package gmemsim.runtime.akka;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import gmemsim.model.Component;
import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.oracle.Violation;
import gmemsim.runtime.Finding;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.LogReplayStrategy;
import gmemsim.runtime.ReplayStrategy;
import gmemsim.runtime.RunResult;
import gmemsim.runtime.Seeds;
import gmemsim.runtime.akka.AkkaProtocol.*;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Drives a hunt over the cluster: waits for the expected nodes, places the components by role,
 * then keeps {@code runtime.parallel-runs} runs in flight, each through begin, go, end (and, when
 * something fired, the gathering of receive logs, replayed in the controlled runtime to confirm
 * the violation and get its schedule). A node that becomes unreachable, or a run that lost
 * messages, ends the hunt with an error; what was found until then is kept.
 */
final class HuntCoordinator extends AbstractBehavior<CoordinatorMsg> {
  private record Listed(Receptionist.Listing listing) implements CoordinatorMsg {}

  private record Reachability(ClusterEvent.ReachabilityEvent event) implements CoordinatorMsg {}

  private record MemberGone(ClusterEvent.MemberRemoved event) implements CoordinatorMsg {}

  private record RunTimeout(int slot, long run) implements CoordinatorMsg {}

  private record ProbeAgain(int slot, long run) implements CoordinatorMsg {}

  private record ProgressTick() implements CoordinatorMsg {}

  private record FormingTimeout() implements CoordinatorMsg {}

  /** Local only: something outside the actors saw the hunt fail (a node process died). */
  record Abort(String why) implements CoordinatorMsg, akka.actor.NoSerializationVerificationNeeded {}

  static final Duration FORMING_TIMEOUT = Duration.ofSeconds(90);

  private enum Phase {
    IDLE,
    BEGIN,
    RUNNING,
    PROBING,
    ENDING,
    LOGS
  }

  private static final class Slot {
    Phase phase = Phase.IDLE;
    long run;
    long runSeed;
    int waiting;
    final Set<Integer> threadsDone = new HashSet<>();
    long steps;
    final List<Violation> violations = new ArrayList<>();
    final Map<Integer, long[]> logs = new HashMap<>();
    long[] probe = new long[6];
    long preempted;
    int timeouts;
    long goNanos;
  }

  private final TimerScheduler<CoordinatorMsg> timers;
  private final Scenario scenario;
  private final Hunt.Options options;
  private final int expectedNodes;
  private final CompletableFuture<HuntResult> result;
  private final Hunt.Progress progress;
  private final Machine template;
  private final int executors;
  private final List<Integer> owners = new ArrayList<>();
  private final int slotsWanted;
  private final Duration runTimeout;

  private final Map<ActorRef<GuardianMsg>, HelloBack> guardians = new LinkedHashMap<>();
  private final Set<ActorRef<GuardianMsg>> greeted = new HashSet<>();
  private final List<ActorRef<GuardianMsg>> active = new ArrayList<>();
  private final Set<String> activeNodes = new HashSet<>();
  private final Map<String, String> placement = new LinkedHashMap<>();
  private final List<List<ActorRef<ComponentMsg>>> directory = new ArrayList<>();
  private int setupWaiting;
  private int ackWaiting;
  private Slot[] slots = new Slot[0];

  private long startNanos;
  private long nextRun;
  private long runsDone;
  private long steps;
  private long crossNode;
  /** Mean wall time of one step in recent runs (the unit of preemption delays); 0 until known. */
  private double stepNanos;
  private final Map<String, Finding> findings = new LinkedHashMap<>();
  private String error;
  private boolean finished;

  static Behavior<CoordinatorMsg> create(
      Scenario s, Hunt.Options o, int nodes, CompletableFuture<HuntResult> result, Hunt.Progress p) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(t -> new HuntCoordinator(ctx, t, s, o, nodes, result, p)));
  }

  private HuntCoordinator(
      ActorContext<CoordinatorMsg> ctx,
      TimerScheduler<CoordinatorMsg> timers,
      Scenario s,
      Hunt.Options o,
      int nodes,
      CompletableFuture<HuntResult> result,
      Hunt.Progress p) {
    super(ctx);
    this.timers = timers;
    this.scenario = s;
    this.options = o;
    this.expectedNodes = nodes;
    this.result = result;
    this.progress = p;
    this.template = MachineBuilder.build(s);
    int t = 0;
    for (int i = 0; i < template.size(); i++) {
      if (template.components().get(i).isExecutor()) t++;
      if (!template.components().get(i).isThread()) owners.add(i);
    }
    this.executors = t;
    this.slotsWanted = s.intValue(Knobs.PARALLEL_RUNS);
    this.runTimeout = s.duration(Knobs.RUN_TIMEOUT);
    ActorRef<Receptionist.Listing> listing = ctx.messageAdapter(Receptionist.Listing.class, Listed::new);
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(NodeGuardian.KEY, listing));
    Cluster cluster = Cluster.get(ctx.getSystem());
    cluster.subscriptions()
        .tell(Subscribe.create(ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new),
            ClusterEvent.ReachabilityEvent.class));
    cluster.subscriptions()
        .tell(Subscribe.create(ctx.messageAdapter(ClusterEvent.MemberRemoved.class, MemberGone::new),
            ClusterEvent.MemberRemoved.class));
    timers.startSingleTimer("forming", new FormingTimeout(), FORMING_TIMEOUT);
  }

  @Override
  public Receive<CoordinatorMsg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Listed.class, this::onListed)
        .onMessage(HelloBack.class, this::onHelloBack)
        .onMessage(SetupDone.class, this::onSetupDone)
        .onMessage(DirectoryAck.class, this::onDirectoryAck)
        .onMessage(Ready.class, this::onReady)
        .onMessage(ThreadDone.class, this::onThreadDone)
        .onMessage(Ended.class, this::onEnded)
        .onMessage(Log.class, this::onLog)
        .onMessage(RunTimeout.class, this::onRunTimeout)
        .onMessage(ProbeReply.class, this::onProbeReply)
        .onMessage(ProbeAgain.class, this::onProbeAgain)
        .onMessage(Reachability.class, this::onReachability)
        .onMessage(MemberGone.class, this::onMemberGone)
        .onMessage(ProgressTick.class, this::onProgressTick)
        .onMessage(FormingTimeout.class, t -> {
          if (slots.length == 0) fail("only " + guardians.size() + " of " + expectedNodes
              + " nodes joined within " + FORMING_TIMEOUT.toSeconds() + " s");
          return this;
        })
        .onMessage(Abort.class, a -> {
          fail(a.why());
          return this;
        })
        .build();
  }

  // ---- forming -----------------------------------------------------------------------------------

  private Behavior<CoordinatorMsg> onListed(Listed l) {
    for (ActorRef<GuardianMsg> g : l.listing().getServiceInstances(NodeGuardian.KEY)) {
      if (greeted.add(g)) g.tell(new Hello(getContext().getSelf()));
    }
    return this;
  }

  private Behavior<CoordinatorMsg> onHelloBack(HelloBack h) {
    guardians.put(h.guardian(), h);
    if (guardians.size() == expectedNodes && setupWaiting == 0 && active.isEmpty()) setup();
    return this;
  }

  private void setup() {
    List<HelloBack> nodes = new ArrayList<>(guardians.values());
    nodes.sort(Comparator.comparing(HelloBack::node));
    List<List<String>> roles = nodes.stream().map(HelloBack::roles).toList();
    int[] nodeOf;
    try {
      nodeOf = Placement.place(template.components(), roles);
    } catch (RuntimeException e) {
      fail(e.getMessage());
      return;
    }
    for (int s = 0; s < slotsWanted; s++) {
      List<ActorRef<ComponentMsg>> row = new ArrayList<>();
      for (int c = 0; c < template.size(); c++) row.add(null);
      directory.add(row);
    }
    for (int c = 0; c < nodeOf.length; c++) placement.put(template.name(c), nodes.get(nodeOf[c]).node());
    if (nodes.size() > 1 && java.util.Arrays.stream(nodeOf).distinct().count() == 1) {
      String why = "spread placement put all " + nodeOf.length + " components on " + nodes.get(nodeOf[0]).node()
          + " (roles " + roles + "): no model message can cross nodes";
      if (getContext().getSystem().settings().config().getBoolean("gmemsim.cluster.strict-placement")) {
        fail(why + " (--strict)");
        return;
      }
      getContext().getLog().warn("gmemsim: {}", why);
      System.err.println("gmemsim: warning: " + why);
    }
    for (int n = 0; n < nodes.size(); n++) {
      List<Integer> mine = new ArrayList<>();
      for (int c = 0; c < nodeOf.length; c++) if (nodeOf[c] == n) mine.add(c);
      if (mine.isEmpty()) continue;
      active.add(nodes.get(n).guardian());
      activeNodes.add(nodes.get(n).node());
      nodes.get(n).guardian().tell(new Setup(scenario.effective(), slotsWanted, List.copyOf(mine)));
    }
    setupWaiting = active.size();
    getContext().getLog().info("gmemsim: {} nodes, placement {}", nodes.size(), java.util.Arrays.toString(nodeOf));
  }

  private Behavior<CoordinatorMsg> onSetupDone(SetupDone d) {
    for (Placed p : d.placed()) directory.get(p.slot()).set(p.component(), p.ref());
    if (--setupWaiting == 0) {
      List<List<ActorRef<ComponentMsg>>> frozen = directory.stream().map(List::copyOf).toList();
      ackWaiting = active.size();
      for (ActorRef<GuardianMsg> g : active) g.tell(new Directory(frozen));
    }
    return this;
  }

  private Behavior<CoordinatorMsg> onDirectoryAck(DirectoryAck a) {
    if (--ackWaiting == 0) {
      timers.cancel("forming");
      startNanos = System.nanoTime();
      slots = new Slot[slotsWanted];
      for (int s = 0; s < slotsWanted; s++) {
        slots[s] = new Slot();
        startRun(s);
      }
      timers.startTimerAtFixedRate("progress", new ProgressTick(), Duration.ofMillis(500));
      maybeFinish();
    }
    return this;
  }

  // ---- runs --------------------------------------------------------------------------------------

  private boolean budgetLeft() {
    if (error != null) return false;
    if (options.stops(findings)) return false;
    Budget b = options.budget();
    if (b.isRuns()) return nextRun < b.runs();
    return System.nanoTime() - startNanos < b.millis() * 1_000_000L;
  }

  private void startRun(int s) {
    Slot slot = slots[s];
    if (!budgetLeft()) {
      slot.phase = Phase.IDLE;
      return;
    }
    slot.run = nextRun++;
    slot.runSeed = Seeds.runSeed(options.seed(), slot.run);
    slot.phase = Phase.BEGIN;
    slot.waiting = active.size();
    slot.threadsDone.clear();
    slot.steps = 0;
    slot.preempted = 0;
    slot.violations.clear();
    slot.logs.clear();
    slot.timeouts = 0;
    for (ActorRef<GuardianMsg> g : active) {
      g.tell(new BeginRun(s, slot.run, slot.runSeed, Math.round(stepNanos)));
    }
  }

  private Slot current(int s, long run, Phase phase) {
    if (s >= slots.length) return null;
    Slot slot = slots[s];
    return slot.run == run && slot.phase == phase ? slot : null;
  }

  private Behavior<CoordinatorMsg> onReady(Ready r) {
    Slot slot = current(r.slot(), r.run(), Phase.BEGIN);
    if (slot != null && --slot.waiting == 0) {
      slot.phase = Phase.RUNNING;
      slot.goNanos = System.nanoTime();
      for (ActorRef<GuardianMsg> g : active) g.tell(new Go(r.slot(), r.run()));
      timers.startSingleTimer(key(r.slot()), new RunTimeout(r.slot(), r.run()), runTimeout);
      if (executors == 0) endRun(r.slot());
    }
    return this;
  }

  private static String key(int slot) {
    return "timeout-" + slot;
  }

  private Behavior<CoordinatorMsg> onThreadDone(ThreadDone d) {
    Slot slot = current(d.slot(), d.run(), Phase.RUNNING);
    if (slot != null && slot.threadsDone.add(d.component()) && slot.threadsDone.size() == executors) {
      endRun(d.slot());
    }
    return this;
  }

  private void endRun(int s) {
    Slot slot = slots[s];
    timers.cancel(key(s));
    slot.phase = Phase.ENDING;
    slot.waiting = active.size();
    for (ActorRef<GuardianMsg> g : active) g.tell(new EndRun(s, slot.run));
  }

  private Behavior<CoordinatorMsg> onEnded(Ended e) {
    Slot slot = current(e.slot(), e.run(), Phase.ENDING);
    if (slot == null) return this;
    slot.steps += e.steps();
    slot.preempted += e.preempted();
    crossNode += e.crossNode();
    slot.violations.addAll(e.violations());
    if (--slot.waiting > 0) return this;
    steps += slot.steps;
    runsDone++;
    if (slot.steps > 0 && slot.preempted == 0) {
      // Per-step wall time of a run nobody held back, seen from its own slot (other slots run
      // alongside); preempted runs would feed their own delays back into the unit.
      double perStep = (System.nanoTime() - slot.goNanos) / (double) slot.steps;
      stepNanos = stepNanos == 0 ? perStep : 0.8 * stepNanos + 0.2 * perStep;
    }
    Set<String> oracles = new HashSet<>();
    boolean fresh = false;
    for (Violation v : slot.violations) {
      if (!oracles.add(v.oracle())) continue;
      Finding f = findings.get(v.oracle());
      if (f != null) findings.put(v.oracle(), f.counted());
      else fresh = true;
    }
    if (fresh) {
      slot.phase = Phase.LOGS;
      slot.waiting = owners.size();
      for (ActorRef<GuardianMsg> g : active) g.tell(new GetLogs(e.slot(), e.run()));
    } else {
      startRun(e.slot());
      maybeFinish();
    }
    return this;
  }

  private Behavior<CoordinatorMsg> onLog(Log l) {
    Slot slot = current(l.slot(), l.run(), Phase.LOGS);
    if (slot == null || !owners.contains(l.component())) return this;
    slot.logs.put(l.component(), l.ids());
    if (slot.logs.size() < owners.size()) return this;
    confirm(l.slot(), slot);
    if (error == null) startRun(l.slot());
    maybeFinish();
    return this;
  }

  /** Replays the run's receive logs in the controlled runtime: the violations must reappear. */
  private void confirm(int s, Slot slot) {
    LogReplayStrategy merge = new LogReplayStrategy(slot.logs);
    RunResult r;
    try {
      r = Hunt.runOnce(scenario, slot.runSeed, merge, Long.MAX_VALUE, null);
    } catch (ReplayStrategy.ScheduleDivergence e) {
      fail("run " + slot.run + ": its receive logs do not replay: " + e.getMessage());
      return;
    }
    long ms = (System.nanoTime() - startNanos) / 1_000_000L;
    Set<String> seen = new HashSet<>();
    for (Violation v : slot.violations) {
      if (!seen.add(v.oracle())) continue;
      Violation replayed =
          r.violations().stream().filter(x -> x.oracle().equals(v.oracle())).findFirst().orElse(null);
      if (replayed == null || !merge.consumedAll()) {
        fail("run " + slot.run + ": the akka run found " + v.oracle()
            + " but its log replay in the controlled runtime did not reproduce it");
        return;
      }
      Finding f = findings.get(v.oracle());
      findings.put(
          v.oracle(),
          f != null
              ? f.counted()
              : new Finding(v.oracle(), 1, slot.run, slot.runSeed, ms, runsDone, replayed, r.schedule()));
    }
  }

  // ---- quiescence, loss and failure ----------------------------------------------------------------

  private Behavior<CoordinatorMsg> onRunTimeout(RunTimeout t) {
    Slot slot = current(t.slot(), t.run(), Phase.RUNNING);
    if (slot == null) return this;
    slot.phase = Phase.PROBING;
    probe(t.slot(), 0);
    return this;
  }

  private void probe(int s, int round) {
    Slot slot = slots[s];
    slot.waiting = active.size();
    slot.probe[round * 3] = 0;
    slot.probe[round * 3 + 1] = 0;
    slot.probe[round * 3 + 2] = 0;
    for (ActorRef<GuardianMsg> g : active) g.tell(new Probe(s, slot.run, round));
  }

  private Behavior<CoordinatorMsg> onProbeReply(ProbeReply p) {
    Slot slot = current(p.slot(), p.run(), Phase.PROBING);
    if (slot == null) return this;
    slot.probe[p.round() * 3] += p.sent();
    slot.probe[p.round() * 3 + 1] += p.received();
    slot.probe[p.round() * 3 + 2] += p.parked();
    if (--slot.waiting > 0) return this;
    if (p.round() == 0) {
      timers.startSingleTimer(key(p.slot()), new ProbeAgain(p.slot(), p.run()), Duration.ofMillis(200));
      return this;
    }
    long[] c = slot.probe;
    boolean still = c[0] == c[3] && c[1] == c[4] && c[2] == 0 && c[5] == 0;
    if (still && c[3] == c[4]) {
      endRun(p.slot()); // quiescent: what did not finish is stuck, the end-of-run checks say why
    } else if (still) {
      fail("run " + slot.run + ": " + c[3] + " model messages were sent but " + c[4]
          + " received, and nothing moves: messages were lost");
    } else if (++slot.timeouts >= 3) {
      fail("run " + slot.run + ": still running after " + (slot.timeouts + 1) + " x runtime.run-timeout");
    } else {
      slot.phase = Phase.RUNNING;
      timers.startSingleTimer(key(p.slot()), new RunTimeout(p.slot(), p.run()), runTimeout);
    }
    maybeFinish();
    return this;
  }

  private Behavior<CoordinatorMsg> onProbeAgain(ProbeAgain a) {
    if (current(a.slot(), a.run(), Phase.PROBING) != null) probe(a.slot(), 1);
    return this;
  }

  private Behavior<CoordinatorMsg> onReachability(Reachability r) {
    if (r.event() instanceof ClusterEvent.UnreachableMember u
        && activeNodes.contains(u.member().address().toString())) {
      fail("node " + u.member().address() + " became unreachable");
    }
    return this;
  }

  private Behavior<CoordinatorMsg> onMemberGone(MemberGone g) {
    if (activeNodes.contains(g.event().member().address().toString()) && !finished) {
      fail("node " + g.event().member().address() + " left the cluster");
    }
    return this;
  }

  private Behavior<CoordinatorMsg> onProgressTick(ProgressTick t) {
    if (progress != null && !finished) {
      long ms = (System.nanoTime() - startNanos) / 1_000_000L;
      progress.update(runsDone, steps, ms, findings.size());
    }
    return this;
  }

  private void fail(String why) {
    if (error == null) error = why;
    getContext().getLog().error("gmemsim: {}", why);
    for (Slot s : slots) if (s != null) s.phase = Phase.IDLE;
    maybeFinish();
  }

  private void maybeFinish() {
    if (finished) return;
    boolean idle = true;
    for (Slot s : slots) idle &= s.phase == Phase.IDLE;
    if (!idle || (slots.length == 0 && error == null)) return;
    finished = true;
    timers.cancelAll();
    long elapsed = startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1_000_000L;
    // Stop the other nodes; this node's system is stopped by whoever started the hunt.
    String self = Cluster.get(getContext().getSystem()).selfMember().address().toString();
    for (HelloBack g : guardians.values()) if (!g.node().equals(self)) g.guardian().tell(new Shutdown());
    result.complete(
        new HuntResult(
            "akka", options.seed(), runsDone, steps, elapsed, 0, 0,
            java.util.Collections.unmodifiableMap(new LinkedHashMap<>(findings)), error, crossNode,
            java.util.Collections.unmodifiableMap(new LinkedHashMap<>(placement)), null, null, null));
  }
}
