package gmemsim.runtime.akka;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import gmemsim.oracle.LivelockOracle;
import gmemsim.oracle.Violation;
import gmemsim.runtime.CutReason;
import gmemsim.runtime.Finding;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.LogReplayStrategy;
import gmemsim.runtime.ReplayStrategy;
import gmemsim.runtime.RunResult;
import gmemsim.runtime.akka.AkkaProtocol.*;
import gmemsim.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run of the Akka runtime, as a child of {@link HuntCoordinator} (one conversation per run,
 * with its own timeout, as akka-samples' StatsAggregator): begin (every node builds the machine),
 * running (until every thread finished, a component hit the step limit, the run timeout fired, or
 * the {@link LivelockWatch} found that only spinning threads had work, which cuts the run),
 * probing (two rounds of message counters: quiescent, lost, or still moving), ending (the
 * end-of-run checks, skipped for a cut run), and, when an oracle fired that the hunt had not found
 * when the run began or the run is a livelock suspect, the receive logs, replayed in the controlled
 * runtime to confirm the violation and get its schedule. It reports one {@link RunOver} to its
 * parent and stops.
 */
final class RunConversation {
  /** What the run came to; local to the coordinator's node. */
  record RunOver(
      int slot,
      long run,
      long steps,
      long preempted,
      long crossNode,
      long goNanos,
      CutReason cut,
      List<String> fired,
      List<Finding> confirmed,
      String error)
      implements CoordinatorMsg, akka.actor.NoSerializationVerificationNeeded {
    /** Whether the run was cut short ({@code cut} says why) instead of ending. */
    boolean truncated() {
      return cut != null;
    }
  }

  private record RunTimeout() implements CoordinatorMsg {}

  private record ProbeAgain() implements CoordinatorMsg {}

  private static final String TIMEOUT = "timeout";

  /** Probe rounds of the lane check; 0 and 1 are the quiescence probe's. */
  private static final int LANE_ROUND = 2;

  /** How many run timeouts a run that still moves may last. */
  static final int TIMEOUTS = 3;

  /** What the run needs from the hunt, fixed when it starts. */
  record Plan(
      Scenario scenario,
      List<ActorRef<GuardianMsg>> nodes,
      int executors,
      Set<Integer> owners,
      Duration runTimeout,
      long stepNanos,
      long runSteps,
      long huntStartNanos,
      Set<String> known) {}

  private final ActorContext<CoordinatorMsg> ctx;
  private final TimerScheduler<CoordinatorMsg> timers;
  private final ActorRef<CoordinatorMsg> parent;
  private final Plan plan;
  private final int slot;
  private final long run;
  private final long runSeed;

  private final Set<Integer> threadsDone = new HashSet<>();
  private final LivelockWatch watch = new LivelockWatch();
  /** Cut because only spinning threads had work (LivelockWatch): the log replay decides whether it was a livelock. */
  private boolean suspect;
  /** The lane check in progress (rounds LANE_ROUND and LANE_ROUND + 1), or -1. */
  private int laneRound = -1;
  private int laneWaiting;
  private final long[][] lanes = new long[4][];
  private final List<Violation> violations = new ArrayList<>();
  private final Map<Integer, long[]> logs = new HashMap<>();
  private final long[] probe = new long[6];
  private int waiting;
  private long steps;
  private long preempted;
  private long crossNode;
  private long goNanos;
  private int timeouts;
  /** Why the run was cut short (the first reason), or null while it may still end. */
  private CutReason cut;

  static Behavior<CoordinatorMsg> create(ActorRef<CoordinatorMsg> parent, Plan plan, int slot, long run, long runSeed) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new RunConversation(ctx, t, parent, plan, slot, run, runSeed).begin()));
  }

  private RunConversation(ActorContext<CoordinatorMsg> ctx, TimerScheduler<CoordinatorMsg> timers,
      ActorRef<CoordinatorMsg> parent, Plan plan, int slot, long run, long runSeed) {
    this.ctx = ctx;
    this.timers = timers;
    this.parent = parent;
    this.plan = plan;
    this.slot = slot;
    this.run = run;
    this.runSeed = runSeed;
  }

  private void tellAll(GuardianMsg m) {
    for (ActorRef<GuardianMsg> g : plan.nodes()) g.tell(m);
  }

  // ---- begin: every node builds its components' part of the machine ------------------------------

  private Behavior<CoordinatorMsg> begin() {
    waiting = plan.nodes().size();
    tellAll(new BeginRun(slot, run, runSeed, plan.stepNanos(), plan.runSteps(), ctx.getSelf()));
    return Behaviors.receive(CoordinatorMsg.class)
        .onMessage(Ready.class, r -> --waiting > 0 ? Behaviors.same() : go())
        .build();
  }

  private Behavior<CoordinatorMsg> go() {
    goNanos = System.nanoTime();
    tellAll(new Go(slot, run));
    if (plan.executors() == 0) return end();
    timers.startSingleTimer(TIMEOUT, new RunTimeout(), plan.runTimeout());
    return running();
  }

  // ---- running: until the threads finished, the step limit, or the timeout -------------------------

  private Behavior<CoordinatorMsg> running() {
    return Behaviors.receive(CoordinatorMsg.class)
        .onMessage(ThreadDone.class, d -> {
          threadsDone.add(d.component());
          watch.stopped(d.component());
          return threadsDone.size() == plan.executors() ? end() : Behaviors.same();
        })
        .onMessage(Spinning.class, s -> {
          if (s.spinning()) watch.spinning(s.component());
          else watch.stopped(s.component());
          return watch.anySpinning() && laneRound < 0 ? countLanes(LANE_ROUND) : Behaviors.same();
        })
        .onMessage(ProbeReply.class, this::laneCounted)
        .onMessage(StepLimit.class, l -> {
          // A component stopped handling this run's messages: the run winds down; find out when.
          cutFor(CutReason.STEP_LIMIT);
          return probing(0);
        })
        .onMessage(RunTimeout.class, t -> probing(0))
        .build();
  }

  /**
   * A lane count for the {@link LivelockWatch}, on every node, twice in a row (as the quiescence
   * probe counts messages), after each report of a spinning thread.
   */
  private Behavior<CoordinatorMsg> countLanes(int round) {
    laneRound = round;
    laneWaiting = plan.nodes().size();
    lanes[round - LANE_ROUND] = null;
    lanes[round - LANE_ROUND + 2] = null;
    tellAll(new Probe(slot, run, round));
    return Behaviors.same();
  }

  private Behavior<CoordinatorMsg> laneCounted(ProbeReply p) {
    if (p.round() != laneRound) return Behaviors.same();
    int i = laneRound - LANE_ROUND;
    lanes[i] = LivelockWatch.add(lanes[i], p.laneSent());
    lanes[i + 2] = LivelockWatch.add(lanes[i + 2], p.laneReceived());
    if (--laneWaiting > 0) return Behaviors.same();
    if (laneRound == LANE_ROUND) return countLanes(LANE_ROUND + 1);
    laneRound = -1;
    return watch.counted(lanes[0], lanes[1], lanes[2], lanes[3]) ? cut(true) : Behaviors.same();
  }

  /**
   * Cuts the run: only the spinners had work for a while ({@code suspected}: its log replay decides,
   * see LivelockWatch), or it still moved after its last timeout.
   */
  private boolean truncated() {
    return cut != null;
  }

  private void cutFor(CutReason why) {
    if (cut == null) cut = why;
  }

  private Behavior<CoordinatorMsg> cut(boolean suspected) {
    suspect = suspected;
    cutFor(suspected ? CutReason.UNCONFIRMED_LIVELOCK : CutReason.STILL_MOVING);
    tellAll(new CutRun(slot, run));
    return probing(0);
  }

  // ---- probing: quiescent (end it), lost messages (fail), or still moving (wait again) ---------------

  private Behavior<CoordinatorMsg> probing(int round) {
    timers.cancel(TIMEOUT);
    laneRound = -1; // a lane check in flight is dropped (its replies are not of this probe's round)
    waiting = plan.nodes().size();
    probe[round * 3] = 0;
    probe[round * 3 + 1] = 0;
    probe[round * 3 + 2] = 0;
    tellAll(new Probe(slot, run, round));
    return Behaviors.receive(CoordinatorMsg.class)
        .onMessage(ProbeReply.class, p -> p.round() == round ? probed(p) : Behaviors.same())
        .onMessage(ProbeAgain.class, a -> probing(1))
        .onMessage(StepLimit.class, l -> {
          cutFor(CutReason.STEP_LIMIT);
          return Behaviors.same();
        })
        .onMessage(ThreadDone.class, d -> {
          threadsDone.add(d.component());
          return Behaviors.same();
        })
        .onMessage(Spinning.class, s -> Behaviors.same())
        .build();
  }

  private Behavior<CoordinatorMsg> probed(ProbeReply p) {
    probe[p.round() * 3] += p.sent();
    probe[p.round() * 3 + 1] += p.received();
    probe[p.round() * 3 + 2] += p.parked();
    if (--waiting > 0) return Behaviors.same();
    if (p.round() == 0) {
      timers.startSingleTimer(TIMEOUT, new ProbeAgain(), Duration.ofMillis(truncated() ? 20 : 200));
      return Behaviors.same();
    }
    long[] c = probe;
    boolean still = c[0] == c[3] && c[1] == c[4] && c[2] == 0 && c[5] == 0;
    if (still && c[3] == c[4]) return end(); // quiescent: what did not finish is stuck, the end-of-run checks say why
    if (still) {
      return over("run " + run + ": " + c[3] + " model messages were sent but " + c[4]
          + " received, and nothing moves: messages were lost");
    }
    if (truncated()) return probing(0); // the rest of the machine is still running into its own limits
    if (++timeouts >= TIMEOUTS) {
      // Still moving after its last timeout: cut, and counted as truncated, as at the step limit
      // (an oversubscribed spread cluster makes every run slow; failing the hunt would lose what it
      // found). If a thread was spinning it is a livelock suspect like any other: the log replay decides.
      return cut(watch.anySpinning());
    }
    timers.startSingleTimer(TIMEOUT, new RunTimeout(), plan.runTimeout());
    return running();
  }

  // ---- ending: the end-of-run checks (skipped on the components of a truncated run) -----------------

  private Behavior<CoordinatorMsg> end() {
    timers.cancelAll();
    waiting = plan.nodes().size();
    tellAll(new EndRun(slot, run, truncated()));
    return Behaviors.receive(CoordinatorMsg.class)
        .onMessage(Ended.class, this::ended)
        .onMessage(StepLimit.class, l -> Behaviors.same())
        .onMessage(Spinning.class, s -> Behaviors.same())
        .build();
  }

  private Behavior<CoordinatorMsg> ended(Ended e) {
    steps += e.steps();
    preempted += e.preempted();
    crossNode += e.crossNode();
    violations.addAll(e.violations());
    if (--waiting > 0) return Behaviors.same();
    // A run cut at its step limit is not replayed: its logs hold up to run.max-steps messages per
    // component, too long to replay and ship; its violations count for oracles already found. A
    // suspected livelock was cut within a few thousand steps and is always replayed: the replay is
    // the only judge of it.
    boolean fresh = !truncated() && violations.stream().anyMatch(v -> !plan.known().contains(v.oracle()));
    if (!fresh && !suspect) return over(null);
    tellAll(new GetLogs(slot, run));
    return Behaviors.receive(CoordinatorMsg.class)
        .onMessage(Log.class, this::logged)
        .onMessage(StepLimit.class, l -> Behaviors.same())
        .onMessage(Spinning.class, s -> Behaviors.same())
        .build();
  }

  // ---- logs: replay the run in the controlled runtime; the violations must reappear ----------------

  private Behavior<CoordinatorMsg> logged(Log l) {
    if (!plan.owners().contains(l.component())) return Behaviors.same();
    logs.put(l.component(), l.ids());
    if (logs.size() < plan.owners().size()) return Behaviors.same();
    LogReplayStrategy merge = new LogReplayStrategy(logs);
    RunResult r;
    try {
      r = Hunt.runOnce(plan.scenario(), runSeed, merge, Long.MAX_VALUE, null);
    } catch (LogReplayStrategy.LogsEnded e) {
      if (suspect) return over(null); // no livelock within what the threads did before the cut: it stays cut
      return over("run " + run + ": its receive logs do not replay: " + e.getMessage());
    } catch (ReplayStrategy.ScheduleDivergence e) {
      return over("run " + run + ": its receive logs do not replay: " + e.getMessage());
    }
    if (suspect) {
      Violation livelock = violation(r, LivelockOracle.NAME);
      if (livelock == null) return over(null);
      violations.add(livelock);
      cut = null; // as in the controlled runtime, a livelocked run is a finding, not a cut
    }
    long ms = (System.nanoTime() - plan.huntStartNanos()) / 1_000_000L;
    List<Finding> confirmed = new ArrayList<>();
    for (String oracle : fired()) {
      if (plan.known().contains(oracle)) continue;
      Violation replayed = violation(r, oracle);
      if (suspect && replayed == null) continue; // fired after the replay's livelock point: counted, not confirmed
      if (replayed == null || (!suspect && !merge.consumedAll())) {
        return over("run " + run + ": the akka run found " + oracle
            + " but its log replay in the controlled runtime did not reproduce it");
      }
      confirmed.add(new Finding(oracle, 1, run, runSeed, ms, run + 1, replayed, r.schedule()));
    }
    return over(null, confirmed);
  }

  private static Violation violation(RunResult r, String oracle) {
    return r.violations().stream().filter(x -> x.oracle().equals(oracle)).findFirst().orElse(null);
  }

  private List<String> fired() {
    Set<String> out = new LinkedHashSet<>();
    for (Violation v : violations) out.add(v.oracle());
    return List.copyOf(out);
  }

  private Behavior<CoordinatorMsg> over(String error) {
    return over(error, List.of());
  }

  private Behavior<CoordinatorMsg> over(String error, List<Finding> confirmed) {
    timers.cancelAll();
    parent.tell(new RunOver(slot, run, steps, preempted, crossNode, goNanos, cut,
        error == null ? fired() : List.of(), confirmed, error));
    return Behaviors.stopped();
  }
}
