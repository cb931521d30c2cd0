package gmemsim.runtime.controlled;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Event;
import gmemsim.model.Machine;
import gmemsim.model.Msg;
import gmemsim.model.NoProgress;
import gmemsim.model.StepLimitReached;
import gmemsim.oracle.Oracle;
import gmemsim.oracle.Violation;
import gmemsim.runtime.DeliveryListener;
import gmemsim.runtime.Envelope;
import gmemsim.runtime.RunResult;
import gmemsim.runtime.Seeds;
import gmemsim.runtime.Strategy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One run in the controlled runtime: every component in this thread, in-flight messages in a
 * pool, and a {@link Strategy} choosing which one is delivered next. Each scheduled delivery is
 * one step, handled atomically by its recipient.
 *
 * <p>Messages to a thread component (a reply to the step it asked for) are delivered at once,
 * inside the step that sent them: a thread's state is read by no other component, so delaying
 * that delivery could not change what any other delivery sees. The thread's next request goes to
 * the pool like any other message, so every interleaving of state-owner steps stays reachable.
 */
public final class ControlledRun implements Ctx, Oracle.Sink {
  private final Machine machine;
  private final Component[] comps;
  private final boolean[] isThread;
  private final boolean[] ownLane;
  /** A StateOwner: its steps go straight to their primitive, as StateOwner.onMessage sends them. */
  private final boolean[] isOwner;
  /** A KernelObject among them: its use-after-free check runs first, as KernelObject.onMessage runs it. */
  private final boolean[] isObject;

  /** A StateOwner that keeps StateOwner's onMessage (one that overrides it gets its messages through it). */
  private static final ClassValue<Boolean> PLAIN_OWNER = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> c) {
      try {
        Class<?> d = c.getMethod("onMessage", Msg.class, Ctx.class).getDeclaringClass();
        return gmemsim.model.prim.StateOwner.class.isAssignableFrom(c)
            && (d == gmemsim.model.prim.StateOwner.class || d == gmemsim.model.prim.KernelObject.class);
      } catch (NoSuchMethodException e) {
        return false;
      }
    }
  };
  private final long runSeed;
  private final gmemsim.oracle.OracleSet oracles;
  private final DeliveryListener listener;

  // Sized for the messages in flight of a typical run: a run is built afresh each time.
  private final ArrayList<Envelope> pool = new ArrayList<>(64);
  private final ArrayDeque<Envelope> eager = new ArrayDeque<>();
  private final int[] seq;
  private final RandomGenerator[] rngs;
  private final List<Violation> firsts = new ArrayList<>();
  private final Set<String> fired = new HashSet<>();
  private final List<String> notes = new ArrayList<>();
  /** One thread delivers every step: one Call serves them all, with no thread-local lookup. */
  private final gmemsim.model.prim.Call scratch = gmemsim.model.prim.Call.scratch();
  private final List<Violation> firedNow = new ArrayList<>();

  private int self;
  private int sender;
  private int lane;
  private long step;
  private long[] schedule = new long[512];
  private int logged;
  /** The strategy wants each step's footprint (an exhaustive search): what the step touched and sent. */
  private boolean observing;
  /** The strategy makes the model's open choices (an exhaustive search tries each). */
  private boolean choosing;
  private Strategy strategy;
  private int[] touched = new int[8];
  private int nTouched;
  private long[] sent = new long[8];
  private int nSent;

  public ControlledRun(Machine machine, long runSeed, gmemsim.oracle.OracleSet oracles, DeliveryListener l) {
    this.machine = machine;
    this.comps = machine.components().toArray(Component[]::new);
    this.isThread = new boolean[comps.length];
    this.ownLane = new boolean[comps.length];
    this.isOwner = new boolean[comps.length];
    this.isObject = new boolean[comps.length];
    for (int i = 0; i < comps.length; i++) {
      isThread[i] = comps[i].isThread();
      isOwner[i] = PLAIN_OWNER.get(comps[i].getClass());
      isObject[i] = comps[i] instanceof gmemsim.model.prim.KernelObject;
      ownLane[i] = comps[i].isExecutor();
    }
    this.runSeed = runSeed;
    this.oracles = oracles;
    this.listener = l;
    this.seq = new int[comps.length];
    this.rngs = new RandomGenerator[comps.length];
    this.exposure = gmemsim.runtime.ExposureMeter.forMachine(machine);
  }

  private final gmemsim.runtime.ExposureMeter exposure;
  /** Counts outcomes and race windows for the hunt's coverage, or null (replays, traces). */
  private gmemsim.runtime.CoverageRecorder coverage;

  /** Counts this run's step outcomes and race windows into {@code c}. */
  public ControlledRun withCoverage(gmemsim.runtime.Coverage c) {
    this.coverage = c == null ? null : c.recorder(comps.length);
    return this;
  }

  @Override
  public void outcome(String step, String outcome, List<String> possible) {
    if (coverage != null) coverage.outcome(step, outcome, possible);
  }

  @Override
  public int[] blockCounts(gmemsim.lang.Program p) {
    return coverage == null ? null : coverage.blockCounts(p);
  }

  /**
   * Retry rounds in a row during which every message in flight belonged to a spinning lane before
   * the run is declared livelocked. A lane counts as spinning once it went round
   * {@link #SPINNING_AFTER} retries; a spinner that waits for another path sees that path's
   * messages in flight, which resets the count.
   */
  public static final int LIVELOCK_ROUNDS = 64;

  public static final int SPINNING_AFTER = 8;

  /** Steps a lane may deliver between two retries and still count as spinning. */
  public static final int SPIN_ROUND_STEPS = 4096;

  /** Whether only spinners have work: checked at each retry round, see LIVELOCK_ROUNDS. */
  private boolean onlySpinnersInFlight(int[] yields) {
    for (Envelope e : pool) if (yields[e.lane()] < SPINNING_AFTER) return false;
    return true;
  }

  public RunResult execute(Strategy strategy, long maxSteps) {
    strategy.beginRun(runSeed, comps.length);
    strategy.attach(java.util.Arrays.asList(comps));
    this.strategy = strategy;
    choosing = strategy.choosesData();
    if (listener != null) {
      listener.onStart(machine.components().stream().map(Component::name).toList());
    }
    if (coverage != null) {
      for (Component c : comps) for (gmemsim.model.exec.SourcePath p : c.program()) coverage.declarePath(p);
    }
    for (int i = 0; i < comps.length; i++) {
      self = i;
      sender = i;
      lane = i;
      comps[i].boot(this);
      drainEager();
    }
    if (listener != null && !notes.isEmpty()) listener.onBoot(List.copyOf(notes));
    notes.clear();
    firedNow.clear();
    boolean truncated = false;
    int[] yields = new int[comps.length];
    int[] sinceYield = new int[comps.length];
    long quietRounds = 0;
    boolean livelocked = false;
    boolean stopped = false;
    observing = strategy.observesSteps();
    while (!pool.isEmpty()) {
      if (step >= maxSteps) {
        truncated = true;
        break;
      }
      int i = strategy.pick(pool, step);
      if (i == Strategy.STOP) {
        stopped = true;
        break;
      }
      Envelope e = pool.get(i);
      int last = pool.size() - 1;
      pool.set(i, pool.get(last));
      pool.remove(last);
      log(e.id());
      if (e.msg().yields()) {
        strategy.yielded(e.lane());
        yields[e.lane()]++;
        sinceYield[e.lane()] = 0;
        quietRounds = onlySpinnersInFlight(yields) ? quietRounds + 1 : 0;
      } else if (e.lane() < comps.length && ++sinceYield[e.lane()] > SPIN_ROUND_STEPS) {
        yields[e.lane()] = 0; // a lane this long without a retry is doing work, not spinning
      }
      String caller = listener != null ? callerOf(e) : null;
      String source = listener != null ? sourceOf(e) : null;
      if (observing) {
        nTouched = 0;
        nSent = 0;
      }
      deliver(e);
      drainEager();
      if (observing) strategy.stepDone(e, touched, nTouched, sent, nSent);
      if (exposure != null) exposure.tick();
      if (listener != null) {
        listener.onDelivery(step, e, caller, source, List.copyOf(notes), List.copyOf(firedNow));
        if (!firedNow.isEmpty()) listener.onGhost(step, ghostOf(firedNow));
        notes.clear();
        firedNow.clear();
      }
      step++;
      if (quietRounds >= LIVELOCK_ROUNDS) {
        List<String> spinners = new ArrayList<>();
        Set<Integer> lanes = new HashSet<>();
        for (Envelope p : pool) lanes.add(p.lane());
        for (int l : lanes) {
          if (l < comps.length && comps[l].isExecutor()) spinners.add(comps[l].name() + ": " + comps[l].activity());
        }
        java.util.Collections.sort(spinners);
        delivering = null;
        outside = "no progress";
        emit(new NoProgress(step, spinners, quietRounds));
        truncated = true;
        livelocked = true;
        break;
      }
    }
    if (livelocked || stopped) {
      // The spinners never finish, or the strategy stopped a run it has seen the like of: no
      // end-of-run checks of a machine stopped mid-flight.
    } else if (truncated) {
      List<String> unfinished = new ArrayList<>();
      for (Component c : comps) if (c.isExecutor() && !c.finished()) unfinished.add(c.name());
      delivering = null;
      outside = "step limit";
      emit(new StepLimitReached(step, unfinished));
    } else {
      delivering = null;
      outside = "end of run";
      for (int i = 0; i < comps.length; i++) {
        self = i;
        sender = i;
        comps[i].onQuiescence(this);
      }
    }
    if (listener != null) {
      if (!firedNow.isEmpty()) listener.onGhost(step, ghostOf(firedNow));
      listener.onEnd(step, List.copyOf(firedNow));
    }
    if (coverage != null) coverage.end();
    return new RunResult(
        step, List.copyOf(firsts), Arrays.copyOf(schedule, logged), truncated && !livelocked,
        exposure == null ? -1 : exposure.exposedSteps(), exposure == null ? -1 : exposure.maxPerPage());
  }

  /** Each component's ghost facts about the pages (hex pfns) these violations name. */
  private List<String> ghostOf(List<Violation> vs) {
    Set<Integer> pfns = new HashSet<>();
    for (Violation v : vs) {
      for (String o : v.objects()) {
        if (!o.startsWith("0x")) continue;
        try {
          pfns.add(Integer.parseUnsignedInt(o.substring(2), 16));
        } catch (NumberFormatException notAPfn) {
          // a lock or a gfn range: nothing to look up
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (Component c : comps) {
      for (String g : c.ghost(pfns, machine::name)) out.add(c.name() + ": " + g);
    }
    return out;
  }

  /** The path a thread was in when it sent e (for traces): its current path's name. */
  private String callerOf(Envelope e) {
    if (e.msg() instanceof gmemsim.model.thread.ThreadProtocol.Ret || !comps[e.from()].isExecutor()) return "";
    String[] site = comps[e.from()].sourceSite();
    if (site != null) return site[0];
    String a = comps[e.from()].activity();
    int at = a.indexOf(" at ");
    return at > 0 ? a.substring(0, at) : a;
  }

  /** The kernel source line that sent e, "file:line: text", or "". */
  private String sourceOf(Envelope e) {
    if (e.msg() instanceof gmemsim.model.thread.ThreadProtocol.Ret || !comps[e.from()].isExecutor()) return "";
    String[] site = comps[e.from()].sourceSite();
    return site == null ? "" : site[1] + ": " + site[2];
  }

  /** The racing-step signature of a violation naming {@code actors}, fired at the current step. */
  private String race(List<String> actors) {
    List<String> lanes = new ArrayList<>();
    for (Component c : comps) {
      if (c.isExecutor() && actors.contains(c.name()) && !c.activity().isEmpty()) lanes.add(c.name() + " in " + c.activity());
    }
    return gmemsim.runtime.Race.signature(delivering == null ? outside : delivering.step(), lanes);
  }

  /** The message being delivered (for the race signature of a violation it makes fire). */
  private Msg delivering;
  /** What runs when no message is delivered: the boot, or the end-of-run checks. */
  private String outside = "boot";

  private void deliver(Envelope e) {
    if (observing) {
      if (nTouched == touched.length) touched = Arrays.copyOf(touched, nTouched * 2);
      touched[nTouched++] = e.to();
    }
    delivering = e.msg();
    if (coverage != null) coverage.delivered(e.from(), e.to(), e.msg());
    self = e.to();
    sender = e.from();
    lane = e.lane();
    try {
      Component c = comps[self];
      Msg m = e.msg();
      // The same calls as c.onMessage(m), made direct: a call through the Component interface
      // costs an interface-table search per step, the components being of a dozen classes.
      if (isOwner[self] && m instanceof gmemsim.model.prim.Step s) {
        if (isObject[self]) gmemsim.model.prim.KernelObject.checkUse((gmemsim.model.prim.KernelObject) c, m, this);
        gmemsim.model.prim.Primitives.handle(c, s, this);
      } else if (c instanceof gmemsim.model.cpu.Cpu cpu) {
        cpu.onMessage(m, this);
      } else {
        c.onMessage(m, this);
      }
    } catch (gmemsim.runtime.ModelFault f) {
      throw f;
    } catch (RuntimeException x) {
      String site = machine.siteOf(e.msg());
      throw new gmemsim.runtime.ModelFault(comps[self].name() + " could not handle " + e.msg().describe() + " from "
          + comps[e.from()].name() + (site.isEmpty() ? "" : " at " + site) + ": "
          + (x.getMessage() != null ? x.getMessage() : x.getClass().getSimpleName()), x);
    }
  }

  private void drainEager() {
    Envelope e;
    while ((e = eager.poll()) != null) deliver(e);
  }

  // ---- Ctx ---------------------------------------------------------------------------------------

  @Override
  public int self() {
    return self;
  }

  @Override
  public int sender() {
    return sender;
  }

  @Override
  public String name(int component) {
    return machine.name(component);
  }

  @Override
  public void send(int to, Msg m) {
    Envelope e = new Envelope(Envelope.id(self, seq[self]++), self, to, Envelope.lane(m, self, to, lane, ownLane), m);
    if (isThread[to]) {
      eager.add(e);
    } else {
      pool.add(e);
      if (observing) {
        if (nSent == sent.length) sent = Arrays.copyOf(sent, nSent * 2);
        sent[nSent++] = e.id();
      }
    }
  }

  /** The schedule: each delivery's id, and each choice of the model's the strategy made, in order. */
  private void log(long entry) {
    if (logged == schedule.length) schedule = Arrays.copyOf(schedule, schedule.length * 2);
    schedule[logged++] = entry;
  }

  @Override
  public int choose(int n) {
    if (!choosing) return rng().nextInt(n);
    int k = strategy.choose(n);
    log(Envelope.choice(n, k));
    return k;
  }

  @Override
  public boolean chance(double p) {
    if (!choosing) return rng().nextDouble() < p;
    return p <= 0 ? false : p >= 1 || choose(2) == 1;
  }

  @Override
  public RandomGenerator rng() {
    RandomGenerator r = rngs[self];
    if (r == null) {
      r = new SplittableRandom(Seeds.componentSeed(runSeed, self));
      rngs[self] = r;
    }
    return r;
  }

  @Override
  public void emit(Event e) {
    oracles.emit(e, this);
  }

  @Override
  public gmemsim.model.prim.Call scratchCall() {
    return scratch;
  }

  @Override
  public boolean tracing() {
    return listener != null;
  }

  @Override
  public void note(String change) {
    if (listener != null) notes.add(comps[self].isThread() ? comps[self].name() + ": " + change : change);
  }

  // ---- Oracle.Sink -------------------------------------------------------------------------------

  @Override
  public void fire(String oracle, String message, List<String> actors, List<String> objects) {
    boolean first = fired.add(oracle);
    if (!first && listener == null) return; // a run keeps the first violation of each oracle
    Violation v = new Violation(oracle, step, List.copyOf(actors), List.copyOf(objects), message, race(actors));
    if (first) firsts.add(v);
    if (listener != null) firedNow.add(v);
  }
}
