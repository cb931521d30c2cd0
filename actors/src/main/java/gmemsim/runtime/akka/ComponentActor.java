package gmemsim.runtime.akka;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Event;
import gmemsim.model.Msg;
import gmemsim.oracle.Oracle;
import gmemsim.oracle.Oracles;
import gmemsim.oracle.Violation;
import gmemsim.runtime.Envelope;
import gmemsim.runtime.Seeds;
import gmemsim.runtime.akka.AkkaProtocol.Attach;
import gmemsim.runtime.akka.AkkaProtocol.Boot;
import gmemsim.runtime.akka.AkkaProtocol.ComponentMsg;
import gmemsim.runtime.akka.AkkaProtocol.CoordinatorMsg;
import gmemsim.runtime.akka.AkkaProtocol.Counters;
import gmemsim.runtime.akka.AkkaProtocol.CountersPlease;
import gmemsim.runtime.akka.AkkaProtocol.Deliver;
import gmemsim.runtime.akka.AkkaProtocol.Log;
import gmemsim.runtime.akka.AkkaProtocol.Quiesce;
import gmemsim.runtime.akka.AkkaProtocol.Quiesced;
import gmemsim.runtime.akka.AkkaProtocol.SendLog;
import gmemsim.runtime.akka.AkkaProtocol.ThreadDone;
import gmemsim.runtime.controlled.ControlledRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Hosts one model component: hands it each delivered message and carries out what it asks for
 * through {@link Ctx} (sends become tells to the recipient's actor). It holds no kernel logic.
 * It also records the id of every message it handles, in order, so the run can be replayed in
 * the controlled runtime, and judges the ghost facts its component reports with its own oracle
 * instances.
 */
final class ComponentActor extends AbstractBehavior<ComponentMsg> implements Ctx, Oracle.Sink {
  private final int index;
  private final List<String> names;
  private Component component;
  private long run = -1;
  private long runSeed;
  private int slot;
  private List<ActorRef<ComponentMsg>> directory = List.of();
  /** This run's conversation (ThreadDone, StepLimit and the receive log go there). */
  private ActorRef<CoordinatorMsg> conversation;
  /** run.max-steps: past this many messages of one run, the component handles no more of them. */
  private long maxSteps;
  private boolean cut;
  /** This thread's retries in a row, and its steps since the last one (see {@link AkkaProtocol.Spinning}). */
  private int retries;
  private int sinceRetry;
  private TimingFaults faults;
  /** Steps this thread sent in this run and in the previous one (a change point is drawn over the latter). */
  private long sends;
  private long lastRunSends;
  /** This run's change point: the send at which the thread stalls (or the next interruptible one), or -1. */
  private long stallAt = -1;
  private long stallMicros;
  /** Lock releases this thread sent in this run and in the previous one (faults.preempt-unlock draws over the latter). */
  private long releases;
  private long lastRunReleases;
  /** This run's preemption point: the release after which the thread stalls, or -1; and whether its next step is held. */
  private long unlockAt = -1;
  private long unlockMicros;
  private boolean preemptNext;
  /** This run's start delay (faults.preempt-stagger): the thread's first step leaves this much later, or 0. */
  private long startMicros;
  /** This run's pace (faults.preempt-pace-lane): each interruptible step of the thread leaves this much later, or 0. */
  private long paceMicros;
  private RandomGenerator rng;
  private SplittableRandom preempt;
  private gmemsim.oracle.OracleSet oracles = gmemsim.oracle.Oracles.none();
  private final List<Violation> found = new ArrayList<>();
  private final Set<String> fired = new HashSet<>();
  private int seq;
  private long[] log = new long[256];
  private int logged;
  private long sent;
  private long received;
  private long parked;
  /** Per lane: messages this component sent (when the thread took the step, parked or not) and received. */
  private long[] laneSent = new long[0];
  private long[] laneReceived = new long[0];
  private long preempted;
  /**
   * Retries held back by {@link #SPIN_BACKOFF} in this run. Not a timing fault: it is the
   * machine's own scheduling, and counted as one it kept every run of a scenario whose threads
   * always spin a little out of the step-time measurement, so such a hunt drew no fault at all.
   */
  private long backedOff;
  /** Steps held back by this run's pace, and by its start delay, change point and preemption after a release (0 to 3). */
  private long paced;
  private long stalled;
  /** Akka's scheduler fires on its next tick (gmemsim-akka.conf sets it to 1 ms) whatever is asked below that. */
  private static final Duration SPIN_BACKOFF = Duration.ofMillis(1);
  private long crossNode;
  private boolean[] remote = new boolean[0];
  private boolean reportedDone;
  private boolean booted;
  /** Messages that arrived before Boot: in the controlled runtime every component boots first. */
  private final List<Deliver> early = new ArrayList<>();
  // The message being handled.
  private int sender;
  private int lane;
  /** Per component of the machine: whether it runs paths of its own (for {@link Envelope#lane}). */
  private boolean[] executors;

  static Behavior<ComponentMsg> create(int index, List<String> names) {
    return Behaviors.setup(ctx -> new ComponentActor(ctx, index, names));
  }

  private ComponentActor(ActorContext<ComponentMsg> ctx, int index, List<String> names) {
    super(ctx);
    this.index = index;
    this.names = names;
  }

  @Override
  public Receive<ComponentMsg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Deliver.class, this::onDeliver)
        .onMessage(Attach.class, this::onAttach)
        .onMessage(Boot.class, this::onBoot)
        .onMessage(Quiesce.class, this::onQuiesce)
        .onMessage(CountersPlease.class, this::onCountersPlease)
        .onMessage(SendLog.class, this::onSendLog)
        .onMessage(AkkaProtocol.SendNow.class, this::onSendNow)
        .onMessage(AkkaProtocol.Cut.class, this::onCut)
        .build();
  }

  private Behavior<ComponentMsg> onAttach(Attach a) {
    component = a.component();
    run = a.run();
    runSeed = a.runSeed();
    slot = a.slot();
    directory = a.directory();
    executors = a.executors();
    remote = new boolean[directory.size()];
    laneSent = new long[directory.size()];
    laneReceived = new long[directory.size()];
    for (int i = 0; i < remote.length; i++) remote[i] = !directory.get(i).path().address().hasLocalScope();
    crossNode = 0;
    conversation = a.conversation();
    maxSteps = a.maxSteps();
    cut = false;
    retries = 0;
    sinceRetry = 0;
    faults = a.faults();
    rng = null;
    preempt = new SplittableRandom(Seeds.mix(runSeed ^ (0x9e37L * (index + 17))));
    // A change point for this run, as pct draws them: at a step drawn uniformly over the steps this
    // thread sent in its previous run, it stalls once (timing only; replay comes from the logs).
    lastRunSends = sends;
    sends = 0;
    stallAt = changePoint(lastRunSends, faults.slowChance());
    stallMicros = stallFor(stallAt);
    startMicros = faults.startDelayMicros(runSeed, index, executors);
    // A priority, as pct draws one per thread: the whole run at one speed, so an offset between two
    // threads grows with every step they take side by side.
    paceMicros = faults.paceMaxMicros() > 0 && preempt.nextDouble() < faults.paceChance()
        ? 1 + preempt.nextLong(faults.paceMaxMicros()) : 0;
    // A change point where a kernel most often reschedules: right after a lock release, while the
    // waiter the lock went to runs on.
    lastRunReleases = releases;
    releases = 0;
    unlockAt = changePoint(lastRunReleases, faults.unlockChance());
    unlockMicros = stallFor(unlockAt);
    preemptNext = false;
    oracles = Oracles.create();
    found.clear();
    fired.clear();
    seq = 0;
    logged = 0;
    sent = 0;
    received = 0;
    parked = 0;
    preempted = 0;
    backedOff = 0;
    paced = 0;
    stalled = 0;
    reportedDone = false;
    booted = false;
    early.clear();
    return this;
  }

  /** With {@code chance}, a point drawn uniformly below {@code over} (steps or releases of the previous run); else -1. */
  private long changePoint(long over, double chance) {
    return over > 0 && faults.slowMaxMicros() > 0 && preempt.nextDouble() < chance ? preempt.nextLong(over) : -1;
  }

  /** How long the thread stalls at a change point drawn at {@code at} (0 when none was). */
  private long stallFor(long at) {
    return at < 0 ? 0 : 1 + preempt.nextLong(faults.slowMaxMicros());
  }

  private Behavior<ComponentMsg> onBoot(Boot b) {
    if (b.run() != run) return this;
    sender = index;
    lane = index;
    booted = true;
    component.boot(this);
    reportIfDone();
    for (Deliver d : early) onDeliver(d);
    early.clear();
    return this;
  }

  private Behavior<ComponentMsg> onDeliver(Deliver d) {
    if (d.run() != run) {
      // A message of another run: the runs of a slot never overlap, so this is a lost ordering.
      throw new IllegalStateException(
          names.get(index) + " got a message of run " + d.run() + " during run " + run);
    }
    if (!booted) {
      early.add(d);
      return this;
    }
    received++;
    laneReceived[d.lane()]++;
    if (cut) return this;
    if (logged >= maxSteps) {
      // A run that spins on (the controlled runtime would stop it at its step limit or as a
      // livelock) must not grow this log until the heap runs out: drop the rest of the run.
      conversation.tell(new AkkaProtocol.StepLimit(slot, run, index));
      cut = true;
      return this;
    }
    if (logged == log.length) log = Arrays.copyOf(log, log.length * 2);
    log[logged++] = d.id();
    sender = d.from();
    lane = d.lane();
    component.onMessage(d.msg(), this);
    reportIfDone();
    return this;
  }

  private void reportIfDone() {
    if (!reportedDone && component.isExecutor() && component.finished()) {
      reportedDone = true;
      conversation.tell(new ThreadDone(slot, run, index));
    }
  }

  private Behavior<ComponentMsg> onQuiesce(Quiesce q) {
    if (q.run() == run) {
      sender = index;
      if (!q.truncated()) component.onQuiescence(this);
      q.replyTo()
          .tell(
              new Quiesced(
                  slot, run, component.isThread() ? 0 : logged, preempted + paced + stalled, crossNode, List.copyOf(found)));
    }
    return this;
  }

  private Behavior<ComponentMsg> onCountersPlease(CountersPlease p) {
    p.replyTo().tell(new Counters(slot, p.run(), p.round(), sent, received, parked, laneSent.clone(), laneReceived.clone()));
    return this;
  }

  private Behavior<ComponentMsg> onCut(AkkaProtocol.Cut c) {
    if (c.run() == run) cut = true;
    return this;
  }

  private Behavior<ComponentMsg> onSendLog(SendLog s) {
    if (s.run() == run) conversation.tell(new Log(slot, run, index, Arrays.copyOf(log, logged)));
    return this;
  }

  // ---- Ctx ---------------------------------------------------------------------------------------

  @Override
  public int self() {
    return index;
  }

  @Override
  public int sender() {
    return sender;
  }

  @Override
  public String name(int c) {
    return names.get(c);
  }

  @Override
  public void send(int to, Msg m) {
    if (executors[index]) spinAccount(m);
    Deliver d = new Deliver(Envelope.id(index, seq++), index, to, Envelope.lane(m, index, to, lane, executors), run, m);
    laneSent[d.lane()]++;
    long n = sends++;
    if (startMicros > 0 && component.preemptibleSend()) {
      stalled++;
      park(d, Duration.ofNanos(startMicros * 1000));
      startMicros = 0;
    } else if (preemptNext && component.preemptibleSend()) {
      preemptNext = false;
      stalled++;
      park(d, Duration.ofNanos(unlockMicros * 1000));
    } else if (stallAt >= 0 && n >= stallAt && component.preemptibleSend()) {
      stallAt = -1;
      stalled++;
      park(d, Duration.ofNanos(stallMicros * 1000));
    } else if (faults.preemptMaxMicros() > 0
        && preempted < faults.preemptPerThread()
        && component.preemptibleSend()
        && preempt.nextDouble() < faults.preemptRate()) {
      // The thread is preempted before its next step: the step leaves it later. It is parked
      // here, not in the scheduler, so counting sent and received messages still adds up.
      preempted++;
      park(d, Duration.ofNanos((1 + preempt.nextLong(faults.preemptMaxMicros())) * 1000));
    } else if (executors[index] && m.yields() && retries > ControlledRun.SPINNING_AFTER) {
      // A thread that keeps going round a retry loop gives its CPU away for a scheduler tick
      // before each further round (the cond_resched() of a vCPU re-entering the guest on a busy
      // host), as pct lowers a spinner: otherwise the dispatcher's two or more threads keep
      // serving the spinner's ping-pong and the thread it waits for starves for seconds.
      backedOff++;
      park(d, SPIN_BACKOFF);
    } else if (paceMicros > 0 && component.preemptibleSend()) {
      paced++;
      park(d, Duration.ofNanos(paceMicros * 1000));
    } else {
      tell(d);
    }
    if (executors[index] && m.releasesLock() && releases++ == unlockAt) preemptNext = true;
  }

  /** Holds the thread's step back for {@code delay} (timing only): it leaves through {@link #onSendNow}. */
  private void park(Deliver d, Duration delay) {
    parked++;
    getContext().scheduleOnce(delay, getContext().getSelf(), new AkkaProtocol.SendNow(d));
  }

  /**
   * Counts this thread's retries as the controlled runtime counts a lane's (ControlledRun: a round
   * of more than SPIN_ROUND_STEPS steps is work, not a spin), but over its own sends, and tells the
   * conversation (see {@link LivelockWatch}) while it spins and when it stops.
   */
  private void spinAccount(Msg m) {
    if (m.yields()) {
      sinceRetry = 0;
      if (LivelockWatch.reports(++retries)) conversation.tell(new AkkaProtocol.Spinning(slot, run, index, true));
    } else if (retries > 0 && ++sinceRetry > ControlledRun.SPIN_ROUND_STEPS) {
      if (retries >= LivelockWatch.SUSPECT_ROUNDS) conversation.tell(new AkkaProtocol.Spinning(slot, run, index, false));
      retries = 0;
    }
  }

  private void tell(Deliver d) {
    sent++;
    if (remote[d.to()]) crossNode++;
    directory.get(d.to()).tell(d);
  }

  private Behavior<ComponentMsg> onSendNow(AkkaProtocol.SendNow s) {
    if (s.deliver().run() == run) {
      parked--;
      tell(s.deliver());
    }
    return this;
  }

  @Override
  public RandomGenerator rng() {
    if (rng == null) rng = new SplittableRandom(Seeds.componentSeed(runSeed, index));
    return rng;
  }

  @Override
  public void emit(Event e) {
    oracles.emit(e, this);
  }

  @Override
  public boolean tracing() {
    return false;
  }

  @Override
  public void note(String change) {}

  // ---- Oracle.Sink -------------------------------------------------------------------------------

  @Override
  public void fire(String oracle, String message, List<String> actors, List<String> objects) {
    // The step number here is local; the coordinator replaces it with the replayed global step.
    if (fired.add(oracle)) found.add(new Violation(oracle, logged, actors, objects, message));
  }
}
