package gmemsim.runtime.akka;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.runtime.FindingsLedger;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntBudget;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.Runtimes;
import gmemsim.runtime.akka.AkkaProtocol.*;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Drives a hunt over the cluster in two phases. Forming: waits for the expected nodes, places the
 * components by role and hands every node the actor directory. Hunting: keeps {@code
 * runtime.parallel-runs} runs in flight, each a {@link RunConversation} child that reports one
 * {@link RunConversation.RunOver}; merges what they found into the hunt's {@link FindingsLedger}
 * and asks {@link HuntBudget} (the test {@code Hunt} uses) whether to start another. A node that
 * becomes unreachable or leaves, or a run that lost messages, ends the hunt with an error; what
 * was found until then is kept.
 */
final class HuntCoordinator {
  private record Listed(Receptionist.Listing listing) implements CoordinatorMsg {}

  private record Reachability(ClusterEvent.ReachabilityEvent event) implements CoordinatorMsg {}

  private record MemberGone(ClusterEvent.MemberRemoved event) implements CoordinatorMsg {}

  private record ProgressTick() implements CoordinatorMsg {}

  private record FormingTimeout() implements CoordinatorMsg {}

  /** Local only: something outside the actors saw the hunt fail (a node process died). */
  record Abort(String why) implements CoordinatorMsg, akka.actor.NoSerializationVerificationNeeded {}

  static final Duration FORMING_TIMEOUT = Duration.ofSeconds(90);

  private final ActorContext<CoordinatorMsg> ctx;
  private final TimerScheduler<CoordinatorMsg> timers;
  private final Scenario scenario;
  private final Hunt.Options options;
  private final int expectedNodes;
  private final CompletableFuture<HuntResult> result;
  private final Hunt.Progress progress;
  private final Machine template;
  private final int slotsWanted;

  // forming
  private final Map<ActorRef<GuardianMsg>, HelloBack> guardians = new LinkedHashMap<>();
  private final Set<ActorRef<GuardianMsg>> greeted = new HashSet<>();
  private final List<ActorRef<GuardianMsg>> active = new ArrayList<>();
  private final Set<String> activeNodes = new HashSet<>();
  private final Map<String, String> placement = new LinkedHashMap<>();
  private final List<List<ActorRef<ComponentMsg>>> directory = new ArrayList<>();
  private int waiting;

  // hunting
  private final HuntBudget budget;
  /** The runs in flight and what they found; null while forming. */
  private RunPump pump;
  private long startNanos;
  private long nextRun;
  private String error;
  private boolean finished;

  static Behavior<CoordinatorMsg> create(
      Scenario s, Hunt.Options o, int nodes, CompletableFuture<HuntResult> result, Hunt.Progress p) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(t -> new HuntCoordinator(ctx, t, s, o, nodes, result, p).forming()));
  }

  private HuntCoordinator(
      ActorContext<CoordinatorMsg> ctx,
      TimerScheduler<CoordinatorMsg> timers,
      Scenario s,
      Hunt.Options o,
      int nodes,
      CompletableFuture<HuntResult> result,
      Hunt.Progress p) {
    this.ctx = ctx;
    this.timers = timers;
    this.scenario = s;
    this.options = o;
    this.expectedNodes = nodes;
    this.result = result;
    this.progress = p;
    this.template = MachineBuilder.build(s);
    this.slotsWanted = s.intValue(Knobs.PARALLEL_RUNS);
    this.budget = new HuntBudget(o, Long.MAX_VALUE);
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

  // ---- forming -----------------------------------------------------------------------------------

  private Behavior<CoordinatorMsg> forming() {
    return Behaviors.receive(CoordinatorMsg.class)
        .onMessage(Listed.class, this::onListed)
        .onMessage(HelloBack.class, this::onHelloBack)
        .onMessage(SetupDone.class, this::onSetupDone)
        .onMessage(DirectoryAck.class, this::onDirectoryAck)
        .onMessage(FormingTimeout.class, t -> fail("only " + guardians.size() + " of " + expectedNodes
            + " nodes joined within " + FORMING_TIMEOUT.toSeconds() + " s"))
        .onMessage(Reachability.class, this::onReachability)
        .onMessage(MemberGone.class, this::onMemberGone)
        .onMessage(Abort.class, a -> fail(a.why()))
        .build();
  }

  private Behavior<CoordinatorMsg> onListed(Listed l) {
    for (ActorRef<GuardianMsg> g : l.listing().getServiceInstances(NodeGuardian.KEY)) {
      if (greeted.add(g)) g.tell(new Hello(ctx.getSelf()));
    }
    return Behaviors.same();
  }

  private Behavior<CoordinatorMsg> onHelloBack(HelloBack h) {
    guardians.put(h.guardian(), h);
    if (guardians.size() == expectedNodes && waiting == 0 && active.isEmpty()) return setup();
    return Behaviors.same();
  }

  private Behavior<CoordinatorMsg> setup() {
    List<HelloBack> nodes = new ArrayList<>(guardians.values());
    nodes.sort(Comparator.comparing(HelloBack::node));
    List<List<String>> roles = nodes.stream().map(HelloBack::roles).toList();
    int[] nodeOf;
    try {
      nodeOf = Placement.place(template.components(), roles);
    } catch (RuntimeException e) {
      return fail(e.getMessage());
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
      if (ctx.getSystem().settings().config().getBoolean("gmemsim.cluster.strict-placement")) {
        return fail(why + " (--strict)");
      }
      ctx.getLog().warn("gmemsim: {}", why);
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
    waiting = active.size();
    ctx.getLog().info("gmemsim: {} nodes, placement {}", nodes.size(), java.util.Arrays.toString(nodeOf));
    return Behaviors.same();
  }

  private Behavior<CoordinatorMsg> onSetupDone(SetupDone d) {
    for (Placed p : d.placed()) directory.get(p.slot()).set(p.component(), p.ref());
    if (--waiting == 0) {
      List<List<ActorRef<ComponentMsg>>> frozen = directory.stream().map(List::copyOf).toList();
      waiting = active.size();
      for (ActorRef<GuardianMsg> g : active) g.tell(new Directory(frozen));
    }
    return Behaviors.same();
  }

  private Behavior<CoordinatorMsg> onDirectoryAck(DirectoryAck a) {
    if (--waiting > 0) return Behaviors.same();
    timers.cancel("forming");
    startNanos = System.nanoTime();
    budget.start();
    pump = new RunPump(ctx, scenario, options.seed(), active, slotsWanted);
    pump.fill(this::nextRun);
    timers.startTimerAtFixedRate("progress", new ProgressTick(), Duration.ofMillis(500));
    return maybeFinish() ? Behaviors.ignore() : hunting();
  }

  // ---- hunting -----------------------------------------------------------------------------------

  private Behavior<CoordinatorMsg> hunting() {
    return Behaviors.receive(CoordinatorMsg.class)
        .onMessage(RunConversation.RunOver.class, this::onRunOver)
        .onMessage(ProgressTick.class, this::onProgressTick)
        .onMessage(Reachability.class, this::onReachability)
        .onMessage(MemberGone.class, this::onMemberGone)
        .onMessage(Abort.class, a -> fail(a.why()))
        .build();
  }

  /** The next run of the hunt, while the budget (the test Hunt uses) wants one. */
  private long nextRun(FindingsLedger found) {
    return error == null && budget.wants(nextRun, found) ? nextRun++ : -1;
  }

  private Behavior<CoordinatorMsg> onRunOver(RunConversation.RunOver o) {
    String failed = pump.over(o, this::nextRun);
    return failed != null ? fail(failed) : next();
  }

  // ---- loss and failure --------------------------------------------------------------------------

  private Behavior<CoordinatorMsg> onReachability(Reachability r) {
    if (r.event() instanceof ClusterEvent.UnreachableMember u
        && activeNodes.contains(u.member().address().toString())) {
      return fail("node " + u.member().address() + " became unreachable");
    }
    return Behaviors.same();
  }

  private Behavior<CoordinatorMsg> onMemberGone(MemberGone g) {
    if (activeNodes.contains(g.event().member().address().toString()) && !finished) {
      return fail("node " + g.event().member().address() + " left the cluster");
    }
    return Behaviors.same();
  }

  private Behavior<CoordinatorMsg> onProgressTick(ProgressTick t) {
    if (progress != null && !finished && pump != null) {
      progress.update(pump.runsDone, pump.steps, budget.elapsedMs(), pump.ledger.size());
    }
    return Behaviors.same();
  }

  private Behavior<CoordinatorMsg> fail(String why) {
    if (error == null) error = why;
    ctx.getLog().error("gmemsim: {}", why);
    if (pump != null) pump.stopAll();
    return next();
  }

  private Behavior<CoordinatorMsg> next() {
    return maybeFinish() ? Behaviors.ignore() : Behaviors.same();
  }

  /** Completes the result once no run is in flight and none is wanted (or the hunt failed). */
  private boolean maybeFinish() {
    if (finished) return true;
    if (error == null && (pump == null || !pump.idle())) return false;
    finished = true;
    timers.cancelAll();
    long elapsed = startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1_000_000L;
    // Stop the other nodes; this node's system is stopped by whoever started the hunt.
    String self = Cluster.get(ctx.getSystem()).selfMember().address().toString();
    for (HelloBack g : guardians.values()) if (!g.node().equals(self)) g.guardian().tell(new Shutdown());
    result.complete(
        new HuntResult(
            Runtimes.AKKA, options.seed(), pump == null ? 0 : pump.runsDone, pump == null ? 0 : pump.steps, elapsed, 0,
            pump == null ? 0 : pump.truncated, pump == null ? Map.of() : pump.cuts,
            pump == null ? Map.of() : pump.ledger.findings(), error,
            pump == null ? 0 : pump.crossNode, pump == null ? 0 : pump.faulted,
            java.util.Collections.unmodifiableMap(new LinkedHashMap<>(placement)), null, null, null));
    return true;
  }
}
