package gmemsim.runtime.akka;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import gmemsim.model.MachineBuilder;
import gmemsim.runtime.Finding;
import gmemsim.runtime.FindingsLedger;
import gmemsim.runtime.akka.AkkaProtocol.*;
import gmemsim.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A swarm node's own machines in the akka runtime ({@code cluster --placement local --runtime
 * akka}): a guardian of its own hosts every component of {@code slots} machines on this node, so
 * the components of a run are actors running in parallel with real timing, and nothing crosses
 * nodes. Each leased seed range is made through {@link RunPump}, as the spread coordinator makes
 * a hunt, and reported as one {@link RangeMade}.
 */
public final class LocalRuns {
  /** Make runs [first, first + count) of the hunt's seed. Local only. */
  public record MakeRange(long lease, long first, int count, ActorRef<RangeMade> replyTo)
      implements CoordinatorMsg, akka.actor.NoSerializationVerificationNeeded {}

  /**
   * A range made: {@code made} runs from its first (0 when a run failed: the runs made in parallel
   * are then no prefix of the range), their steps and truncated runs, the wall time, what they found.
   */
  public record RangeMade(long lease, int made, long steps, long truncated, Map<String, Long> cuts, long faulted, long nanos, List<Finding> findings, String error) {}

  private final ActorContext<CoordinatorMsg> ctx;
  private final Scenario scenario;
  private final long seed;
  private final int slots;
  private final ActorRef<GuardianMsg> guardian;
  private RunPump pump;
  /** A range that came before the machines were ready. */
  private MakeRange waiting;
  // the range being made
  private MakeRange range;
  private long nextRun;
  private long t0;

  public static Behavior<CoordinatorMsg> create(Scenario s, long seed, int slots) {
    return Behaviors.setup(ctx -> new LocalRuns(ctx, s, seed, slots).forming());
  }

  private LocalRuns(ActorContext<CoordinatorMsg> ctx, Scenario s, long seed, int slots) {
    this.ctx = ctx;
    this.scenario = s;
    this.seed = seed;
    this.slots = slots;
    this.guardian = ctx.spawn(NodeGuardian.createUnlisted(), "guardian");
    guardian.tell(new Hello(ctx.getSelf()));
  }

  // ---- forming: the guardian spawns every component's actor of every slot ------------------------

  private Behavior<CoordinatorMsg> forming() {
    return Behaviors.receive(CoordinatorMsg.class)
        .onMessage(HelloBack.class, h -> {
          List<Integer> all = IntStream.range(0, MachineBuilder.build(scenario).size()).boxed().toList();
          guardian.tell(new Setup(scenario.effective(), slots, all));
          return Behaviors.same();
        })
        .onMessage(SetupDone.class, d -> {
          int n = MachineBuilder.build(scenario).size();
          List<List<ActorRef<ComponentMsg>>> directory = new ArrayList<>();
          for (int s = 0; s < slots; s++) directory.add(new ArrayList<>(java.util.Collections.nCopies(n, null)));
          for (Placed p : d.placed()) directory.get(p.slot()).set(p.component(), p.ref());
          guardian.tell(new Directory(directory.stream().map(List::copyOf).toList()));
          return Behaviors.same();
        })
        .onMessage(DirectoryAck.class, a -> {
          pump = new RunPump(ctx, scenario, seed, List.of(guardian), slots);
          return waiting != null ? make(waiting) : ready();
        })
        .onMessage(MakeRange.class, m -> {
          waiting = m;
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<CoordinatorMsg> ready() {
    return Behaviors.receive(CoordinatorMsg.class).onMessage(MakeRange.class, this::make).build();
  }

  // ---- making a range ----------------------------------------------------------------------------

  private Behavior<CoordinatorMsg> make(MakeRange m) {
    range = m;
    nextRun = m.first();
    t0 = System.nanoTime();
    pump.reset();
    pump.fill(this::nextRun);
    if (pump.idle()) return done(null);
    return Behaviors.receive(CoordinatorMsg.class)
        .onMessage(RunConversation.RunOver.class, o -> {
          String failed = pump.over(o, this::nextRun);
          if (failed != null) {
            pump.stopAll();
            return done(failed);
          }
          return pump.idle() ? done(null) : Behaviors.same();
        })
        .build();
  }

  private long nextRun(FindingsLedger found) {
    return nextRun < range.first() + range.count() ? nextRun++ : -1;
  }

  private Behavior<CoordinatorMsg> done(String error) {
    range.replyTo().tell(new RangeMade(range.lease(), error == null ? (int) pump.runsDone : 0, pump.steps, pump.truncated, pump.cuts, pump.faulted,
        System.nanoTime() - t0, pump.ledger.list(), error));
    return ready();
  }
}
