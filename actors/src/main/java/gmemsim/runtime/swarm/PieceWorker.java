package gmemsim.runtime.swarm;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.delivery.ConsumerController;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.ServiceKey;
import akka.cluster.typed.Cluster;
import gmemsim.oracle.Oracles;
import gmemsim.runtime.dfs.Exhaustive;
import gmemsim.runtime.swarm.PieceProtocol.Done;
import gmemsim.runtime.swarm.PieceProtocol.Job;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One per core of a node: a consumer of Akka's work pulling. It takes a piece of an exhaustive
 * search from its ConsumerController, searches it on a thread of its own, answers the coordinator,
 * and only then confirms, so a piece whose node dies before answering is sent to another worker by
 * the WorkPullingProducerController (an answer that did arrive and is sent again counts once).
 */
final class PieceWorker extends AbstractBehavior<PieceWorker.Msg> {
  static final ServiceKey<ConsumerController.Command<Job>> KEY =
      ServiceKey.create(ConsumerController.serviceKeyClass(), "gmemsim-dfs-pieces");

  /** Local only: the ConsumerController and the search thread talk to this actor on its node. */
  interface Msg {}

  private record Delivered(ConsumerController.Delivery<Job> delivery) implements Msg {}

  private record Searched(ConsumerController.Delivery<Job> delivery, Done done) implements Msg {}

  private final String node;
  private final ExecutorService runner;
  private Map<String, Object> knobs;
  private Scenario scenario;

  static Behavior<Msg> create() {
    return Behaviors.setup(PieceWorker::new);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private PieceWorker(ActorContext<Msg> ctx) {
    super(ctx);
    this.node = Cluster.get(ctx.getSystem()).selfMember().address().toString();
    this.runner = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "dfs-piece");
      t.setDaemon(true);
      return t;
    });
    ActorRef<ConsumerController.Command<Job>> consumer = ctx.spawn(ConsumerController.create(KEY), "pieces");
    ActorRef<ConsumerController.Delivery<Job>> deliveries =
        (ActorRef) ctx.messageAdapter(ConsumerController.Delivery.class, d -> new Delivered(d));
    consumer.tell(new ConsumerController.Start<>(deliveries));
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Delivered.class, this::onDelivered)
        .onMessage(Searched.class, this::onSearched)
        .onSignal(akka.actor.typed.PostStop.class, s -> {
          runner.shutdownNow();
          return this;
        })
        .build();
  }

  private Behavior<Msg> onDelivered(Delivered d) {
    Job job = d.delivery().message();
    if (!job.knobs().equals(knobs)) {
      scenario = new ScenarioLoader(Oracles.names()).fromEffective(job.knobs(), "the coordinator's scenario");
      knobs = job.knobs();
    }
    Scenario s = scenario;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> search(s, job), runner),
        (done, err) -> new Searched(d.delivery(), done != null ? done
            : new Done(job.index(), node, 0, 0, 0, 0, 0, 0, false, List.of(), "piece " + job.index() + " failed on " + node
                + ": " + err, 0)));
    return this;
  }

  private Done search(Scenario s, Job job) {
    long t0 = System.nanoTime();
    Budget budget = job.budgetRuns() > 0 ? new Budget(0, job.budgetRuns()) : new Budget(Math.max(1, job.budgetMillis()), 0);
    Exhaustive.PieceOutcome o = Exhaustive.searchPiece(s, job.seed(), job.maxSteps(), job.piece().piece(), budget);
    return new Done(job.index(), node, o.runs(), o.steps(), o.truncated(), o.complete(), o.stopped(), o.deepest(),
        o.finished(), new java.util.ArrayList<>(o.findings()), o.error() == null ? null : o.error() + " (on " + node + ")",
        System.nanoTime() - t0);
  }

  private Behavior<Msg> onSearched(Searched s) {
    s.delivery().message().replyTo().tell(s.done());
    s.delivery().confirmTo().tell(ConsumerController.confirmed());
    return this;
  }
}
