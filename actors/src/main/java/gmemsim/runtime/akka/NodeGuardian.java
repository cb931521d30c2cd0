package gmemsim.runtime.akka;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.cluster.typed.Cluster;
import gmemsim.model.Component;
import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.oracle.Oracles;
import gmemsim.oracle.Violation;
import gmemsim.runtime.akka.AkkaProtocol.*;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One per node: spawns the component actors this node hosts, builds each run's machine and hands
 * the local components to their actors, and answers the coordinator for them.
 */
final class NodeGuardian extends AbstractBehavior<GuardianMsg> {
  static final ServiceKey<GuardianMsg> KEY = ServiceKey.create(GuardianMsg.class, "gmemsim-guardian");

  private final Runnable onShutdown;
  /** akka.scheduler.tick-duration: no parked step comes back sooner. */
  private final long tickMicros;
  private ActorRef<CoordinatorMsg> coordinator;
  private Scenario scenario;
  private List<Integer> local = List.of();
  private final Map<Integer, Map<Integer, ActorRef<ComponentMsg>>> actors = new HashMap<>();
  private List<List<ActorRef<ComponentMsg>>> directory = List.of();
  private final Map<Integer, Pending> pending = new HashMap<>();
  /** Messages of one run a component handles before it stops (run.max-steps, or less to fit the heap). */
  private long logLimit;
  /** Each slot's current run conversation: where answers about that run go. */
  private final Map<Integer, ActorRef<CoordinatorMsg>> conversations = new HashMap<>();

  /** What a slot's end-of-run or probe round is still waiting for. */
  private static final class Pending {
    int waiting;
    long steps;
    long preempted;
    long crossNode;
    long sent;
    long received;
    long parked;
    long[] laneSent;
    long[] laneReceived;
    final List<Violation> violations = new ArrayList<>();
  }

  /** A slot's pending end of run, or one of its probe rounds (two kinds of probe may overlap). */
  private static int pendingKey(int slot, int round) {
    return slot * 8 + round;
  }

  private static final int END = 7;

  /** The node's guardian, registered for whichever spread coordinator shows up. */
  static Behavior<GuardianMsg> create(Runnable onShutdown) {
    return Behaviors.setup(ctx -> new NodeGuardian(ctx, onShutdown, true));
  }

  /** A guardian only its parent talks to (a swarm node's own machines, {@link LocalRuns}). */
  static Behavior<GuardianMsg> createUnlisted() {
    return Behaviors.setup(ctx -> new NodeGuardian(ctx, () -> {}, false));
  }

  private NodeGuardian(ActorContext<GuardianMsg> ctx, Runnable onShutdown, boolean listed) {
    super(ctx);
    this.onShutdown = onShutdown;
    this.tickMicros = ctx.getSystem().settings().config().getDuration("akka.scheduler.tick-duration").toNanos() / 1000;
    if (listed) ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
  }

  @Override
  public Receive<GuardianMsg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Hello.class, this::onHello)
        .onMessage(Setup.class, this::onSetup)
        .onMessage(Directory.class, this::onDirectory)
        .onMessage(BeginRun.class, this::onBeginRun)
        .onMessage(Go.class, this::onGo)
        .onMessage(EndRun.class, this::onEndRun)
        .onMessage(Quiesced.class, this::onQuiesced)
        .onMessage(Probe.class, this::onProbe)
        .onMessage(Counters.class, this::onCounters)
        .onMessage(GetLogs.class, this::onGetLogs)
        .onMessage(AkkaProtocol.CutRun.class, this::onCutRun)
        .onMessage(Shutdown.class, this::onShutdown)
        .build();
  }

  private Behavior<GuardianMsg> onHello(Hello h) {
    coordinator = h.coordinator();
    var self = Cluster.get(getContext().getSystem()).selfMember();
    h.coordinator()
        .tell(new HelloBack(getContext().getSelf(), self.address().toString(), List.copyOf(self.getRoles())));
    return this;
  }

  private Behavior<GuardianMsg> onSetup(Setup s) {
    scenario = new ScenarioLoader(Oracles.names()).fromEffective(s.knobs(), "the coordinator's scenario");
    Machine m = MachineBuilder.build(scenario);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < m.size(); i++) names.add(m.name(i));
    List<String> frozenNames = List.copyOf(names);
    local = List.copyOf(s.components());
    // Every local component of every slot logs what it receives, up to its step limit: together
    // the logs may take a quarter of the heap (64 machines of spinning takers ran out of 2 GB).
    long entries = Runtime.getRuntime().maxMemory() / 4 / Long.BYTES / Math.max(1, s.slots() * local.size());
    logLimit = Math.min(scenario.intValue(Knobs.MAX_STEPS), Math.max(1_000, entries));
    List<Placed> placed = new ArrayList<>();
    for (int slot = 0; slot < s.slots(); slot++) {
      Map<Integer, ActorRef<ComponentMsg>> bySlot = actors.computeIfAbsent(slot, k -> new HashMap<>());
      for (int c : local) {
        ActorRef<ComponentMsg> ref =
            getContext().spawn(ComponentActor.create(c, frozenNames), "s" + slot + "-" + names.get(c));
        bySlot.put(c, ref);
        placed.add(new Placed(slot, c, ref));
      }
    }
    coordinator.tell(new SetupDone(getContext().getSelf(), placed));
    return this;
  }

  private Behavior<GuardianMsg> onDirectory(Directory d) {
    directory = d.bySlot();
    coordinator.tell(new DirectoryAck(getContext().getSelf()));
    return this;
  }

  private Behavior<GuardianMsg> onBeginRun(BeginRun b) {
    Machine m = MachineBuilder.build(scenario);
    TimingFaults faults = TimingFaults.of(scenario, b.stepNanos(), b.runSteps(), tickMicros);
    conversations.put(b.slot(), b.replyTo());
    boolean[] executors = new boolean[m.size()];
    for (int i = 0; i < executors.length; i++) executors[i] = m.components().get(i).isExecutor();
    for (int c : local) {
      Component comp = m.components().get(c);
      actors.get(b.slot()).get(c)
          .tell(
              new Attach(
                  comp, b.run(), b.runSeed(), directory.get(b.slot()), executors, b.replyTo(),
                  logLimit, faults, b.slot()));
    }
    b.replyTo().tell(new Ready(b.slot(), b.run()));
    return this;
  }

  private Behavior<GuardianMsg> onGo(Go g) {
    for (ActorRef<ComponentMsg> a : actors.get(g.slot()).values()) a.tell(new Boot(g.run()));
    return this;
  }

  private Behavior<GuardianMsg> onEndRun(EndRun e) {
    Pending p = new Pending();
    p.waiting = local.size();
    pending.put(pendingKey(e.slot(), END), p);
    for (ActorRef<ComponentMsg> a : actors.get(e.slot()).values()) {
      a.tell(new Quiesce(e.run(), e.truncated(), getContext().getSelf()));
    }
    if (p.waiting == 0) conversations.get(e.slot()).tell(new Ended(e.slot(), e.run(), 0, 0, 0, List.of()));
    return this;
  }

  private Behavior<GuardianMsg> onQuiesced(Quiesced q) {
    Pending p = pending.get(pendingKey(q.slot(), END));
    p.steps += q.steps();
    p.preempted += q.preempted();
    p.crossNode += q.crossNode();
    p.violations.addAll(q.violations());
    if (--p.waiting == 0) {
      pending.remove(pendingKey(q.slot(), END));
      conversations.get(q.slot()).tell(
          new Ended(q.slot(), q.run(), p.steps, p.preempted, p.crossNode, List.copyOf(p.violations)));
    }
    return this;
  }

  private Behavior<GuardianMsg> onProbe(Probe pr) {
    Pending p = new Pending();
    p.waiting = local.size();
    pending.put(pendingKey(pr.slot(), pr.round()), p);
    for (ActorRef<ComponentMsg> a : actors.get(pr.slot()).values()) {
      a.tell(new CountersPlease(pr.run(), pr.round(), getContext().getSelf()));
    }
    return this;
  }

  private Behavior<GuardianMsg> onCounters(Counters c) {
    Pending p = pending.get(pendingKey(c.slot(), c.round()));
    p.sent += c.sent();
    p.received += c.received();
    p.parked += c.parked();
    p.laneSent = LivelockWatch.add(p.laneSent, c.laneSent());
    p.laneReceived = LivelockWatch.add(p.laneReceived, c.laneReceived());
    if (--p.waiting == 0) {
      pending.remove(pendingKey(c.slot(), c.round()));
      conversations.get(c.slot()).tell(new ProbeReply(c.slot(), c.run(), c.round(), p.sent, p.received, p.parked,
          p.laneSent, p.laneReceived));
    }
    return this;
  }

  private Behavior<GuardianMsg> onCutRun(AkkaProtocol.CutRun c) {
    for (ActorRef<ComponentMsg> a : actors.get(c.slot()).values()) a.tell(new AkkaProtocol.Cut(c.run()));
    return this;
  }

  private Behavior<GuardianMsg> onGetLogs(GetLogs g) {
    for (ActorRef<ComponentMsg> a : actors.get(g.slot()).values()) a.tell(new SendLog(g.run()));
    return this;
  }

  private Behavior<GuardianMsg> onShutdown(Shutdown s) {
    onShutdown.run();
    return Behaviors.stopped();
  }
}
