package gmemsim.runtime.swarm;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.delivery.WorkPullingProducerController;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import gmemsim.runtime.ClusterReport;
import gmemsim.runtime.Finding;
import gmemsim.runtime.FindingsLedger;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntBudget;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.Verification;
import gmemsim.runtime.dfs.DfsStrategy;
import gmemsim.runtime.swarm.PieceProtocol.Done;
import gmemsim.runtime.swarm.PieceProtocol.Job;
import gmemsim.runtime.swarm.SwarmProtocol.*;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The coordinator of an exhaustive search (strategy dfs) spread over the swarm. It splits the
 * search into pieces at run.shard-depth choice points and hands them, one per request, to Akka's
 * {@link WorkPullingProducerController}, which routes each to a worker with demand and sends a
 * piece a lost worker never confirmed to another. Answers are kept by piece index (a piece answered
 * twice counts once) and merged in piece order, so the runs are numbered as one node's search
 * of the pieces one after another would number them. Swarm workers that join are only told when
 * the search is over (that ends their nodes).
 */
final class PieceProducer extends AbstractBehavior<CoordinatorMsg> {
  private record Next(WorkPullingProducerController.RequestNext<Job> request) implements CoordinatorMsg {}

  private record Tick() implements CoordinatorMsg {}

  private record FormingTimeout() implements CoordinatorMsg {}

  private record MemberGone(ClusterEvent.MemberRemoved event) implements CoordinatorMsg {}

  private record Consumers(Receptionist.Listing listing) implements CoordinatorMsg {}

  private final Scenario scenario;
  private final Hunt.Options options;
  private final CompletableFuture<HuntResult> result;
  private final Hunt.Progress progress;
  private final int expectedNodes;
  private final HuntBudget budget;
  private final List<DfsStrategy.Piece> pieces;
  private final ActorRef<WorkPullingProducerController.Command<Job>> producer;
  private final ActorRef<WorkPullingProducerController.RequestNext<Job>> requests;
  /** Swarm workers by node: told to stop at the end. */
  private final Map<ActorRef<WorkerMsg>, String> joined = new LinkedHashMap<>();
  private final TreeMap<Integer, Done> done = new TreeMap<>();
  private final FindingsLedger found = new FindingsLedger();
  private final List<ClusterReport.NodeLoss> losses = new ArrayList<>();
  private int next;
  private long runsDone;
  private long steps;
  private long answersAgain;
  private long startNanos;
  private long stopNanos;
  private long coordinatorNanos;
  private String error;

  static Behavior<CoordinatorMsg> create(Scenario s, Hunt.Options o, int nodes, CompletableFuture<HuntResult> result,
      Hunt.Progress p) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new PieceProducer(ctx, t, s, o, nodes, result, p)));
  }

  private PieceProducer(ActorContext<CoordinatorMsg> ctx, TimerScheduler<CoordinatorMsg> timers, Scenario s, Hunt.Options o,
      int nodes, CompletableFuture<HuntResult> result, Hunt.Progress p) {
    super(ctx);
    this.scenario = s;
    this.options = o;
    this.result = result;
    this.progress = p;
    this.expectedNodes = nodes;
    this.budget = new HuntBudget(o, Long.MAX_VALUE);
    this.pieces = gmemsim.runtime.dfs.Exhaustive.pieces(s, o.seed(), o.maxSteps());
    this.producer = ctx.spawn(WorkPullingProducerController.create(Job.class, "gmemsim-dfs", PieceWorker.KEY, Optional.empty()),
        "pieces");
    @SuppressWarnings({"unchecked", "rawtypes"})
    ActorRef<WorkPullingProducerController.RequestNext<Job>> adapter =
        (ActorRef) ctx.messageAdapter(WorkPullingProducerController.RequestNext.class, r -> new Next(r));
    this.requests = adapter;
    ctx.getSystem().receptionist().tell(Receptionist.register(SwarmCoordinator.KEY, ctx.getSelf()));
    // Pieces go out once every expected node's piece workers are known: the work pulling would
    // otherwise hand the whole search to the workers the receptionist listed first.
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(PieceWorker.KEY,
        ctx.messageAdapter(Receptionist.Listing.class, Consumers::new)));
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberRemoved.class, MemberGone::new), ClusterEvent.MemberRemoved.class));
    timers.startTimerAtFixedRate(new Tick(), Duration.ofMillis(250));
    timers.startSingleTimer(new FormingTimeout(), SwarmCoordinator.FORMING_TIMEOUT);
    ctx.getLog().info("gmemsim: the search splits into {} pieces at {} choice points", pieces.size(),
        s.intValue(Knobs.SHARD_DEPTH));
  }

  @Override
  public Receive<CoordinatorMsg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Join.class, this::onJoin)
        .onMessage(Consumers.class, this::onConsumers)
        .onMessage(Next.class, this::onNext)
        .onMessage(Done.class, this::onDone)
        .onMessage(Tick.class, t -> onTick())
        .onMessage(FormingTimeout.class, f -> {
          if (startNanos == 0) start();
          return this;
        })
        .onMessage(MemberGone.class, this::onMemberGone)
        .onMessage(SwarmCoordinator.Abort.class, a -> finish(a.why()))
        .build();
  }

  private Behavior<CoordinatorMsg> onJoin(Join j) {
    joined.put(j.worker(), j.node());
    if (stopNanos != 0) j.worker().tell(new Stop());
    return this;
  }

  private Behavior<CoordinatorMsg> onConsumers(Consumers c) {
    if (startNanos != 0) return this;
    long nodes = c.listing().getServiceInstances(PieceWorker.KEY).stream().map(r -> r.path().address()).distinct().count();
    if (nodes >= expectedNodes) start();
    return this;
  }

  /** The expected nodes are in: pieces go out from now, to whichever worker asks first. */
  private void start() {
    startNanos = System.nanoTime();
    budget.start();
    producer.tell(new WorkPullingProducerController.Start<>(requests));
  }

  private Behavior<CoordinatorMsg> onNext(Next n) {
    long t0 = System.nanoTime();
    if (stopNanos == 0 && next < pieces.size() && budget.wants(runsDone, found)) {
      n.request().sendNextTo().tell(job(next++));
    }
    coordinatorNanos += System.nanoTime() - t0;
    return maybeFinish();
  }

  /** Piece i, with what is left of the budget now. */
  private Job job(int i) {
    gmemsim.scenario.Budget b = options.budget();
    long millis = b.isRuns() ? 0 : Math.max(1, b.millis() - budget.elapsedMs());
    long runs = b.isRuns() ? Math.max(1, b.runs() - runsDone) : 0;
    return new Job(i, scenario.effective(), options.seed(), options.maxSteps(), pieces.get(i).wire(), millis, runs,
        getContext().getSelf());
  }

  private Behavior<CoordinatorMsg> onDone(Done d) {
    long t0 = System.nanoTime();
    if (done.containsKey(d.index())) {
      answersAgain++;
      return this;
    }
    done.put(d.index(), d);
    runsDone += d.runs();
    steps += d.steps();
    for (Finding f : d.findings()) found.merge(f);
    if (d.error() != null && error == null) error = d.error();
    coordinatorNanos += System.nanoTime() - t0;
    return maybeFinish();
  }

  private Behavior<CoordinatorMsg> onTick() {
    if (startNanos != 0 && stopNanos == 0 && progress != null) progress.update(runsDone, steps, elapsedMs(), found.size());
    return maybeFinish();
  }

  private Behavior<CoordinatorMsg> onMemberGone(MemberGone m) {
    String node = m.event().member().address().toString();
    if (stopNanos != 0 || !joined.containsValue(node)) return this;
    long inFlight = next - done.size();
    losses.add(new ClusterReport.NodeLoss(node, elapsedMs(), 0, "removed from the cluster; the pieces it had not"
        + " confirmed go to other workers (" + inFlight + " pieces were out)"));
    joined.values().removeIf(node::equals);
    getContext().getLog().warn("node {} lost after {} ms; work pulling sends its unconfirmed piece to another worker", node,
        elapsedMs());
    return this;
  }

  /** Over when every piece handed out has answered and no more will go (all went, the budget ended, or an error). */
  private Behavior<CoordinatorMsg> maybeFinish() {
    if (startNanos == 0 || stopNanos != 0 || done.size() < next) return this;
    if (next < pieces.size() && error == null && budget.wants(runsDone, found)) return this;
    return finish(null);
  }

  private Behavior<CoordinatorMsg> finish(String why) {
    if (result.isDone()) return this;
    if (why != null && error == null) error = why;
    stopNanos = System.nanoTime();
    for (ActorRef<WorkerMsg> w : joined.keySet()) w.tell(new Stop());
    result.complete(merged());
    return this;
  }

  /** The pieces' answers in piece order: runs numbered as one search of the pieces in turn would number them. */
  private HuntResult merged() {
    FindingsLedger ledger = new FindingsLedger();
    Map<String, long[]> perNode = new LinkedHashMap<>();
    Map<String, Map<String, Long>> perNodeFound = new LinkedHashMap<>();
    long offset = 0;
    long truncated = 0;
    long complete = 0;
    long stopped = 0;
    int deepest = 0;
    boolean allFinished = next == pieces.size() && done.size() == pieces.size();
    for (Done d : done.values()) {
      for (Finding f : d.findings()) {
        ledger.merge(f.shifted(offset));
        perNodeFound.computeIfAbsent(d.node(), k -> new TreeMap<>()).merge(f.oracle(), f.count(), Long::sum);
      }
      offset += d.runs();
      truncated += d.truncated();
      complete += d.complete();
      stopped += d.stopped();
      deepest = Math.max(deepest, d.deepest());
      allFinished &= d.finished();
      long[] n = perNode.computeIfAbsent(d.node(), k -> new long[4]);
      n[0] += d.runs();
      n[1] += d.steps();
      n[2]++;
      n[3] += d.nanos();
    }
    List<ClusterReport.NodeStats> nodes = new ArrayList<>();
    perNode.forEach((node, n) -> nodes.add(new ClusterReport.NodeStats(node, n[0], n[1], n[2], n[3] / 1e9,
        (int) joined.values().stream().filter(node::equals).count(), perNodeFound.getOrDefault(node, Map.of()))));
    ClusterReport report = new ClusterReport("local, work pulling", nodes, List.copyOf(losses), 0, done.size(),
        done.isEmpty() ? 0 : coordinatorNanos / 1e3 / done.size(), done.size() == next, "piece of the search");
    int components = gmemsim.model.MachineBuilder.build(scenario).components().size();
    Verification v = new Verification(allFinished && error == null, scenario.intValue(Knobs.PREEMPTION_BOUND), complete,
        stopped, truncated, deepest, components, gmemsim.runtime.dfs.Exhaustive.dataScope(scenario, options.seed()));
    return new HuntResult("dfs", options.seed(), offset, steps, elapsedMs(), 0, truncated,
        truncated == 0 ? Map.of() : Map.of(gmemsim.runtime.CutReason.STEP_LIMIT.key, truncated), ledger.findings(), error, 0, 0,
        Map.of(), null, null, null, report, v);
  }

  private long elapsedMs() {
    if (startNanos == 0) return 0;
    return ((stopNanos != 0 ? stopNanos : System.nanoTime()) - startNanos) / 1_000_000L;
  }
}
