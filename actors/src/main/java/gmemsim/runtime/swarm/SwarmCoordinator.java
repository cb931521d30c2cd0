package gmemsim.runtime.swarm;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import gmemsim.runtime.ClusterReport;
import gmemsim.runtime.Finding;
import gmemsim.runtime.Coverage;
import gmemsim.runtime.FindingsLedger;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.swarm.SwarmProtocol.*;
import gmemsim.runtime.HuntBudget;
import gmemsim.runtime.RuntimeKind;
import gmemsim.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out seed ranges to workers that pull them (work pulling, not Cluster Sharding: a range is
 * a short-lived piece of work with no identity or state to keep on a node, and a worker that asks
 * when idle spreads the runs over fast and slow nodes by itself). A lease's size aims at
 * {@link #LEASE_TARGET} of the worker's measured time, so results come back often and a lost
 * node takes little with it. A node that becomes unreachable, leaves, or whose worker stops has
 * its lease handed out again under a new lease id; a late answer to the old id is dropped, so no
 * run counts twice. Runs are deterministic in (scenario, seed, run index), so a re-issued run finds
 * what the lost one would have.
 */
final class SwarmCoordinator extends AbstractBehavior<CoordinatorMsg> {
  static final ServiceKey<CoordinatorMsg> KEY = ServiceKey.create(CoordinatorMsg.class, "gmemsim-swarm-coordinator");

  static final Duration LEASE_TARGET = Duration.ofMillis(200);
  static final int FIRST_LEASE = 8;
  /** How long to wait for the workers to leave after Stop, before answering anyway. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private record Tick() implements CoordinatorMsg {}

  private record Reachability(ClusterEvent.ReachabilityEvent event) implements CoordinatorMsg {}

  private record MemberGone(ClusterEvent.MemberRemoved event) implements CoordinatorMsg {}

  private record WorkerGone(ActorRef<WorkerMsg> worker) implements CoordinatorMsg {}

  private record GiveUpWaiting() implements CoordinatorMsg {}

  private record FormingTimeout() implements CoordinatorMsg {}

  /** How long leases wait for the expected nodes; then the hunt starts with the nodes there are. */
  static final Duration FORMING_TIMEOUT = Duration.ofSeconds(60);

  /** Local only: something outside the actors saw the hunt fail (a child process died, Ctrl-C). */
  record Abort(String why) implements CoordinatorMsg, akka.actor.NoSerializationVerificationNeeded {}

  private static final class Worker {
    final ActorRef<WorkerMsg> ref;
    final String node;
    long runs;
    long steps;
    long leases;
    long busyNanos;
    /** Oracle -> runs it fired in, among this worker's runs. */
    final Map<String, Long> found = new java.util.TreeMap<>();
    /** Runs per second this worker made in its last range (0: unknown yet). */
    double rate;
    boolean idle;

    Worker(ActorRef<WorkerMsg> ref, String node) {
      this.ref = ref;
      this.node = node;
    }
  }

  private record Outstanding(ActorRef<WorkerMsg> worker, long first, int count) {}

  private final TimerScheduler<CoordinatorMsg> timers;
  private final Scenario scenario;
  private final Hunt.Options options;
  private final CompletableFuture<HuntResult> result;
  private final Hunt.Progress progress;
  private final long pctK;
  private final HuntBudget budget;
  /** Where the nodes make their runs. */
  private final RuntimeKind runtime;
  private final Setup setup;
  private final int expectedNodes;

  private final Map<ActorRef<WorkerMsg>, Worker> workers = new LinkedHashMap<>();
  /** Every worker that ever joined, for the report (a lost node keeps its rows). */
  private final List<Worker> everyWorker = new ArrayList<>();
  private final Map<Long, Outstanding> leases = new HashMap<>();
  private final Deque<long[]> reissue = new ArrayDeque<>();
  private final List<ClusterReport.NodeLoss> losses = new ArrayList<>();
  private final FindingsLedger ledger = new FindingsLedger();
  /** Each range's coverage by its first run: the timeline is drawn in run order at the end. */
  private final java.util.TreeMap<Long, gmemsim.runtime.Coverage.Snapshot> timeline = new java.util.TreeMap<>();

  /** The merged coverage of every range, or null with run.coverage off. */
  private final Coverage coverage;
  /** first -> count of every range whose results were merged. */
  private final java.util.TreeMap<Long, Integer> merged = new java.util.TreeMap<>();
  private long nextLease;
  private long nextRun;
  private long runsDone;
  private long steps;
  private long truncated;
  private long faulted;
  private Map<String, Long> cutShort = Map.of();
  private long reissuedRuns;
  private long leasesDone;
  private long coordinatorNanos;
  private long startNanos;
  /**
   * When the last lease came back (or the hunt failed): the hunt's wall time ends there. The
   * workers' leaving after it (a remote node's death watch can take seconds) is not hunting.
   */
  private long stopNanos;
  private String error;
  private boolean stopping;
  private int leaving;

  static Behavior<CoordinatorMsg> create(Scenario s, Hunt.Options o, long pctK, int nodes, RuntimeKind runtime,
      CompletableFuture<HuntResult> result, Hunt.Progress p) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new SwarmCoordinator(ctx, t, s, o, pctK, nodes, runtime, result, p)));
  }

  private SwarmCoordinator(
      ActorContext<CoordinatorMsg> ctx,
      TimerScheduler<CoordinatorMsg> timers,
      Scenario s,
      Hunt.Options o,
      long pctK,
      int nodes,
      RuntimeKind runtime,
      CompletableFuture<HuntResult> result,
      Hunt.Progress p) {
    super(ctx);
    this.expectedNodes = nodes;
    this.timers = timers;
    this.scenario = s;
    this.options = o;
    this.result = result;
    this.progress = p;
    this.pctK = pctK;
    this.budget = new HuntBudget(o, Hunt.confidenceRuns(s, o, pctK));
    this.coverage = runtime.coverage(s);
    this.runtime = runtime;
    this.setup = new Setup(ctx.getSelf(), s.effective(), o.seed(), o.strategy(), o.pctDepth(), pctK, o.maxSteps(), runtime.name());
    ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
    Cluster cluster = Cluster.get(ctx.getSystem());
    cluster.subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new), ClusterEvent.ReachabilityEvent.class));
    cluster.subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberRemoved.class, MemberGone::new), ClusterEvent.MemberRemoved.class));
    timers.startTimerAtFixedRate(new Tick(), Duration.ofMillis(250));
    timers.startSingleTimer(new FormingTimeout(), FORMING_TIMEOUT);
  }

  @Override
  public Receive<CoordinatorMsg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Join.class, this::onJoin)
        .onMessage(Pull.class, this::onPull)
        .onMessage(RangeDone.class, this::onRangeDone)
        .onMessage(Reachability.class, this::onReachability)
        .onMessage(MemberGone.class, m -> lostNode(m.event().member().address().toString(), "removed from the cluster"))
        .onMessage(WorkerGone.class, this::onWorkerGone)
        .onMessage(Tick.class, t -> onTick())
        .onMessage(Abort.class, a -> fail(a.why()))
        .onMessage(GiveUpWaiting.class, g -> answer())
        .onMessage(FormingTimeout.class, f -> onFormingTimeout())
        .build();
  }

  private Behavior<CoordinatorMsg> onJoin(Join j) {
    if (stopping) {
      j.worker().tell(new Stop());
      return this;
    }
    if (workers.containsKey(j.worker())) return this;
    Worker w = new Worker(j.worker(), j.node());
    workers.put(j.worker(), w);
    everyWorker.add(w);
    getContext().watchWith(j.worker(), new WorkerGone(j.worker()));
    // The hunt starts when the expected nodes are in (its wall time and the runs/s count from there).
    if (startNanos == 0 && workers.values().stream().map(x -> x.node).distinct().count() >= expectedNodes) start();
    j.worker().tell(setup);
    return this;
  }

  private void start() {
    startNanos = System.nanoTime();
    budget.start();
    timers.cancel(new FormingTimeout());
    dispatch();
  }

  private Behavior<CoordinatorMsg> onFormingTimeout() {
    if (startNanos != 0) return this;
    getContext().getLog().warn("gmemsim: {} of {} nodes joined in {} s; hunting with them", workers.size(), expectedNodes,
        FORMING_TIMEOUT.toSeconds());
    if (workers.isEmpty()) return fail("no node joined in " + FORMING_TIMEOUT.toSeconds() + " s");
    start();
    return this;
  }

  private Behavior<CoordinatorMsg> onPull(Pull p) {
    Worker w = workers.get(p.worker());
    if (w == null) return this;
    w.idle = true;
    dispatch();
    return this;
  }

  /** Leases work to every idle worker while there is work to lease. */
  private void dispatch() {
    if (startNanos == 0) return;
    long t0 = System.nanoTime();
    for (Worker w : workers.values()) {
      if (!w.idle || stopping) continue;
      long[] range = nextRange(w);
      if (range == null) break;
      w.idle = false;
      long id = nextLease++;
      leases.put(id, new Outstanding(w.ref, range[0], (int) range[1]));
      w.ref.tell(new Lease(id, range[0], (int) range[1]));
    }
    coordinatorNanos += System.nanoTime() - t0;
    maybeFinish();
  }

  /** The next range for this worker: a re-issued one first, else fresh runs; null when none is due. */
  private long[] nextRange(Worker w) {
    if (!reissue.isEmpty()) return reissue.poll();
    if (!moreRunsWanted()) return null;
    long want = w.rate == 0 ? FIRST_LEASE : Math.max(1, (long) (w.rate * LEASE_TARGET.toNanos() / 1e9));
    want = Math.min(Math.min(want, budget.runsLeft(nextRun)), 1_000_000);
    long[] r = {nextRun, want};
    nextRun += want;
    return r;
  }

  /** Whether fresh runs (never leased) are still wanted. */
  private boolean moreRunsWanted() {
    return error == null && budget.wants(nextRun, ledger);
  }

  private Behavior<CoordinatorMsg> onRangeDone(RangeDone d) {
    long t0 = System.nanoTime();
    Outstanding o = leases.remove(d.lease());
    if (o == null) return this; // a lease already handed out again after its node was lost
    Worker w = workers.get(o.worker());
    if (d.count() < o.count() && d.error() == null) reissue.add(new long[] {o.first() + d.count(), o.count() - d.count()});
    if (d.count() > 0 && merged.put(d.first(), d.count()) != null) error = "run " + d.first() + " merged twice";
    runsDone += d.count();
    steps += d.steps();
    truncated += d.truncated();
    faulted += d.faulted();
    cutShort = gmemsim.runtime.CutReason.merge(cutShort, d.cutShort());
    leasesDone++;
    long ms = elapsedMs();
    for (Finding f : d.findings()) {
      // The hunt's clock, not the worker's; the races stay as the range merged them.
      ledger.merge(new Finding(f.oracle(), f.count(), f.firstRun(), f.firstRunSeed(), ms, f.runsToFirst(), f.first(),
          f.schedule(), f.races()));
      if (w != null) w.found.merge(f.oracle(), f.count(), Long::sum);
    }
    if (coverage != null && d.coverage() != null) {
      coverage.add(d.coverage());
      coverage.sampleOf(d.coverage());
      timeline.put(d.first(), d.coverage());
    }
    if (w != null) {
      w.runs += d.count();
      w.steps += d.steps();
      w.leases++;
      w.busyNanos += d.workerNanos();
      if (d.count() > 0 && d.workerNanos() > 0) w.rate = d.count() * 1e9 / d.workerNanos();
    }
    coordinatorNanos += System.nanoTime() - t0;
    if (d.error() != null) return fail(d.error());
    maybeFinish();
    return this;
  }

  private Behavior<CoordinatorMsg> onReachability(Reachability r) {
    if (r.event() instanceof ClusterEvent.UnreachableMember u) {
      return lostNode(u.member().address().toString(), "unreachable");
    }
    return this;
  }

  private Behavior<CoordinatorMsg> onWorkerGone(WorkerGone g) {
    Worker w = workers.get(g.worker());
    if (stopping) {
      if (w != null) workers.remove(g.worker());
      if (--leaving <= 0) return answer();
      return this;
    }
    if (w != null) lose(w.node, List.of(w), "its worker " + g.worker().path().name() + " stopped");
    return this;
  }

  /** Every worker of that node is lost: what they had in hand goes back to the queue. */
  private Behavior<CoordinatorMsg> lostNode(String node, String why) {
    if (stopping) return this;
    List<Worker> gone = workers.values().stream().filter(w -> w.node.equals(node)).toList();
    if (!gone.isEmpty()) lose(node, gone, why);
    return this;
  }

  private void lose(String node, List<Worker> gone, String why) {
    long runs = 0;
    for (Worker w : gone) {
      workers.remove(w.ref);
      for (var it = leases.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        if (!e.getValue().worker().equals(w.ref)) continue;
        reissue.add(new long[] {e.getValue().first(), e.getValue().count()});
        runs += e.getValue().count();
        it.remove();
      }
    }
    reissuedRuns += runs;
    losses.add(new ClusterReport.NodeLoss(node, elapsedMs(), runs, why));
    getContext().getLog().warn("node {} lost ({}) after {} ms: {} runs handed out again", node, why, elapsedMs(), runs);
    dispatch();
  }

  private Behavior<CoordinatorMsg> onTick() {
    if (startNanos != 0 && progress != null && !stopping) {
      progress.update(runsDone, steps, elapsedMs(), ledger.size());
    }
    // A time budget ran out while everyone was idle, or lost nodes left work and no one to do it.
    dispatch();
    if (!stopping && startNanos != 0 && workers.isEmpty() && leases.isEmpty() && !reissue.isEmpty()) {
      return fail("every worker node was lost with " + reissue.stream().mapToLong(r -> r[1]).sum() + " runs not made");
    }
    return this;
  }

  private void maybeFinish() {
    if (stopping || startNanos == 0) return;
    if (!leases.isEmpty() || !reissue.isEmpty() || moreRunsWanted()) return;
    stop();
  }

  private Behavior<CoordinatorMsg> fail(String why) {
    if (error == null) error = why;
    if (!stopping) stop();
    return this;
  }

  /** No more leases: tell the workers, and answer once they left (or after a grace period). */
  private void stop() {
    stopping = true;
    stopNanos = System.nanoTime();
    leaving = workers.size();
    for (Worker w : workers.values()) w.ref.tell(new Stop());
    if (leaving == 0) answer();
    else timers.startSingleTimer(new GiveUpWaiting(), STOP_GRACE);
  }

  private Behavior<CoordinatorMsg> answer() {
    if (result.isDone()) return this;
    timers.cancelAll();
    long elapsed = elapsedMs();
    // Per node, its workers summed (busy time too: a node's steps/s is per worker thread).
    Map<String, ClusterReport.NodeStats> byNode = new LinkedHashMap<>();
    for (Worker w : everyWorker) {
      byNode.merge(w.node,
          new ClusterReport.NodeStats(w.node, w.runs, w.steps, w.leases, w.busyNanos / 1e9, 1, new java.util.TreeMap<>(w.found)),
          (a, b) -> {
            Map<String, Long> found = new java.util.TreeMap<>(a.findings());
            b.findings().forEach((k, v) -> found.merge(k, v, Long::sum));
            return new ClusterReport.NodeStats(a.node(), a.runs() + b.runs(), a.steps() + b.steps(),
                a.leases() + b.leases(), a.busySeconds() + b.busySeconds(), a.workers() + b.workers(), found);
          });
    }
    List<ClusterReport.NodeStats> nodes = new ArrayList<>(byNode.values());
    // Runs a lost node made before it was lost still count: they were merged when they came back.
    ClusterReport report = new ClusterReport("local", nodes, List.copyOf(losses), reissuedRuns, leasesDone,
        leasesDone == 0 ? 0 : coordinatorNanos / 1e3 / leasesDone, tiles(runsDone), "seed range");
    if (progress != null) progress.update(runsDone, steps, elapsed, ledger.size());
    // The ranges tile [0, runs): drawn in run order, the timeline is the one-node hunt's.
    if (coverage != null) timeline.values().forEach(coverage::timelineOf);
    result.complete(new HuntResult(runtime.strategyLabel(options), options.seed(), runsDone, steps, elapsed, pctK, truncated,
        cutShort, ledger.findings(), error, 0, faulted, Map.of(), null, coverage, coverage == null ? null : coverage.sample(), report));
    return this;
  }

  /** Whether the merged ranges cover [0, runs) exactly: each run counted once, none missing. */
  private boolean tiles(long runs) {
    long next = 0;
    for (var e : merged.entrySet()) {
      if (e.getKey() != next) return false;
      next += e.getValue();
    }
    return next == runs;
  }

  private long elapsedMs() {
    if (startNanos == 0) return 0;
    return ((stopNanos != 0 ? stopNanos : System.nanoTime()) - startNanos) / 1_000_000L;
  }
}
