package gmemsim.runtime.swarm;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.typed.Cluster;
import gmemsim.oracle.Oracles;
import gmemsim.runtime.Coverage;
import gmemsim.runtime.FindingsLedger;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.RunResult;
import gmemsim.runtime.Runtimes;
import gmemsim.runtime.Seeds;
import gmemsim.runtime.Strategy;
import gmemsim.runtime.swarm.SwarmProtocol.*;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * One per core of a node: finds the swarm coordinator, takes the hunt's setup, and then asks for
 * a seed range, makes its runs whole, reports, and asks again. In the controlled runtime the runs
 * are made on a thread of its own (so the actor still answers while a range runs); in the akka
 * runtime by {@link gmemsim.runtime.akka.LocalRuns}, machines of this node's own actors. A lost
 * coordinator ends the node.
 */
final class SwarmWorker extends AbstractBehavior<WorkerMsg> {
  private record Coordinators(Receptionist.Listing listing) implements WorkerMsg {}

  private record Ran(Lease lease, RangeDone done) implements WorkerMsg {}

  private record Made(gmemsim.runtime.akka.LocalRuns.RangeMade made) implements WorkerMsg {}

  private final Consumer<String> onEnd;
  private final String node;
  private final ExecutorService runner;
  private ActorRef<CoordinatorMsg> coordinator;
  private Scenario scenario;
  private Setup setup;
  private Strategy strategy;
  /** With the akka runtime: this worker's own machines, as actors of this node. */
  private ActorRef<gmemsim.runtime.akka.AkkaProtocol.CoordinatorMsg> localRuns;
  private ActorRef<gmemsim.runtime.akka.LocalRuns.RangeMade> madeAdapter;

  /** @param onEnd called once when the hunt is over: null, or why the node gives up */
  static Behavior<WorkerMsg> create(Consumer<String> onEnd) {
    return Behaviors.setup(ctx -> new SwarmWorker(ctx, onEnd));
  }

  private SwarmWorker(ActorContext<WorkerMsg> ctx, Consumer<String> onEnd) {
    super(ctx);
    this.onEnd = onEnd;
    this.node = Cluster.get(ctx.getSystem()).selfMember().address().toString();
    this.runner = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "swarm-runs");
      t.setDaemon(true);
      return t;
    });
    ctx.getSystem().receptionist().tell(
        Receptionist.subscribe(SwarmCoordinator.KEY, ctx.messageAdapter(Receptionist.Listing.class, Coordinators::new)));
  }

  @Override
  public Receive<WorkerMsg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Coordinators.class, this::onCoordinators)
        .onMessage(Setup.class, this::onSetup)
        .onMessage(Lease.class, this::onLease)
        .onMessage(Ran.class, this::onRan)
        .onMessage(Made.class, this::onMade)
        .onMessage(Stop.class, s -> end(null))
        .onSignal(Terminated.class, t -> end("the coordinator was lost (" + t.getRef().path().address() + ")"))
        .build();
  }

  private Behavior<WorkerMsg> onCoordinators(Coordinators c) {
    if (coordinator != null) return this;
    for (ActorRef<CoordinatorMsg> ref : c.listing().getServiceInstances(SwarmCoordinator.KEY)) {
      coordinator = ref;
      getContext().watch(ref);
      ref.tell(new Join(getContext().getSelf(), node));
      break;
    }
    return this;
  }

  private Behavior<WorkerMsg> onSetup(Setup s) {
    setup = s;
    scenario = new ScenarioLoader(Oracles.names()).fromEffective(s.knobs(), "the coordinator's scenario");
    if (Runtimes.of(s.runtime()).componentsAreActors()) {
      // The node's parallel runs are shared by its workers (one per core it may use).
      int workers = getContext().getSystem().settings().config().getInt("gmemsim.swarm.workers-per-node");
      if (workers <= 0) workers = Runtime.getRuntime().availableProcessors();
      int slots = Math.max(1, scenario.intValue(Knobs.PARALLEL_RUNS) / workers);
      localRuns = getContext().spawn(gmemsim.runtime.akka.LocalRuns.create(scenario, s.seed(), slots), "local-runs");
      madeAdapter = getContext().messageAdapter(gmemsim.runtime.akka.LocalRuns.RangeMade.class, Made::new);
    } else {
      strategy = Hunt.strategy(s.strategy(), s.pctDepth(), s.pctK());
    }
    s.coordinator().tell(new Pull(getContext().getSelf()));
    return this;
  }

  private Behavior<WorkerMsg> onLease(Lease l) {
    ActorRef<WorkerMsg> self = getContext().getSelf();
    if (localRuns != null) {
      localRuns.tell(new gmemsim.runtime.akka.LocalRuns.MakeRange(l.lease(), l.first(), l.count(), madeAdapter));
      pending = l;
      return this;
    }
    getContext().pipeToSelf(
        CompletableFuture.supplyAsync(() -> runRange(l, self), runner),
        (done, err) -> new Ran(l, done != null ? done
            : new RangeDone(self, l.lease(), l.first(), 0, 0, 0, java.util.Map.of(), 0, 0, java.util.List.of(), null,
                String.valueOf(err))));
    return this;
  }

  /** Runs [first, first + count) of the hunt, exactly as Hunt.run makes run i. */
  private RangeDone runRange(Lease l, ActorRef<WorkerMsg> self) {
    long t0 = System.nanoTime();
    FindingsLedger ledger = new FindingsLedger();
    Coverage coverage = scenario.bool(Knobs.COVERAGE) ? new Coverage().keepingRuns() : null;
    long steps = 0;
    long truncated = 0;
    int made = 0;
    String error = null;
    for (; made < l.count(); made++) {
      long run = l.first() + made;
      long runSeed = Seeds.runSeed(setup.seed(), run);
      RunResult r;
      try {
        r = Hunt.runOnce(scenario, runSeed, strategy, setup.maxSteps(), null, coverage);
      } catch (RuntimeException e) {
        error = "run " + run + " (run seed " + runSeed + ") failed on " + node + ": " + e;
        break;
      }
      steps += r.steps();
      if (r.truncated()) truncated++;
      if (!r.violations().isEmpty()) ledger.record(run, runSeed, r, 0);
      if (coverage != null) coverage.ranOnce(run, runSeed, r, 0);
    }
    return new RangeDone(self, l.lease(), l.first(), made, steps, truncated,
        truncated == 0 ? java.util.Map.of() : java.util.Map.of(gmemsim.runtime.CutReason.STEP_LIMIT.key, truncated), 0,
        System.nanoTime() - t0, ledger.list(),
        coverage == null ? null : coverage.snapshot(), error);
  }

  /** The lease the akka runtime is making. */
  private Lease pending;

  private Behavior<WorkerMsg> onMade(Made m) {
    var d = m.made();
    if (pending == null || pending.lease() != d.lease()) return this;
    Lease l = pending;
    pending = null;
    return onRan(new Ran(l, new RangeDone(getContext().getSelf(), l.lease(), l.first(), d.made(), d.steps(), d.truncated(),
        java.util.Map.copyOf(d.cuts()), d.faulted(), d.nanos(), d.findings(), null, d.error() == null ? null : d.error() + " (on " + node + ")")));
  }

  private Behavior<WorkerMsg> onRan(Ran r) {
    coordinator.tell(fitting(r.done()));
    if (r.done().error() == null) coordinator.tell(new Pull(getContext().getSelf()));
    return this;
  }

  /**
   * The range's results, or, if they are larger than the largest frame Artery sends (it would
   * drop them and the coordinator would wait for good), the range failed with that said.
   */
  private RangeDone fitting(RangeDone d) {
    if (coordinator.path().address().hasLocalScope()) return d;
    var ser = akka.serialization.SerializationExtension.get(getContext().getSystem());
    long max = getContext().getSystem().settings().config().getBytes("akka.remote.artery.advanced.maximum-large-frame-size");
    int size = ser.serialize(d).get().length;
    if (size < max) return d;
    return new RangeDone(d.worker(), d.lease(), d.first(), 0, 0, 0, java.util.Map.of(), 0, d.workerNanos(), java.util.List.of(), null,
        "the results of runs [" + d.first() + ", " + (d.first() + d.count()) + ") on " + node + " are " + size
            + " bytes, more than akka.remote.artery.advanced.maximum-large-frame-size (" + max + ")"
            + (d.findings().isEmpty() ? "" : "; they held " + d.findings().stream().map(f -> f.oracle()).toList()));
  }

  private Behavior<WorkerMsg> end(String why) {
    runner.shutdownNow();
    onEnd.accept(why);
    return Behaviors.stopped();
  }
}
