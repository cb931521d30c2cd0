package gmemsim.runtime;

import gmemsim.model.Msg;
import gmemsim.model.thread.ThreadProtocol;
import java.util.Arrays;
import java.util.List;

/**
 * Watches one controlled run's deliveries for {@link Coverage}. A request's outcome is read from
 * the reply its sender gets back ({@link Msg#outcome}); a window of lane L on component T is open
 * from L's step on T until L's next step on T, and every step another lane delivers to T in
 * between, on objects (gfns, pfns: {@link Msg#objectStart}) that overlap the window's, landed
 * inside it. A step that names no object overlaps everything on its component. Per delivery: one id lookup of the step name and a pass over the
 * lanes that have a step pending on the target; events are packed longs appended to an array and
 * merged into the hunt's counts once, when the run ends.
 */
public final class CoverageRecorder {
  /** Intruders recorded per window: the first ones that landed (a lane that waits long sees many). */
  private static final int MAX_INTRUDERS = 8;

  private final Coverage coverage;
  private final int n;
  /** Per lane and component: the id of the lane's last step there, or -1. */
  private final int[] lastStep;
  private final Msg[] lastMsg;
  private final boolean[] lastDecision;
  /** Per component: (step id, sender) of every step delivered to it, in order. */
  private final int[][] logs;
  private final int[] logLen;
  /** Per component: the objects [lo, hi) of each logged step (-1: none named). */
  private final long[][] objs;
  /** Per lane and component: the objects of the lane's last step there. */
  private final long[] lastLo;
  private final long[] lastHi;
  /** Per lane and component: where the log stood after the lane's last step there. */
  private final int[] since;
  private long[] outcomes = new long[64];
  private int nOutcomes;
  private long[] windows = new long[256];
  private int nWindows;

  public CoverageRecorder(Coverage coverage, int components) {
    this.coverage = coverage;
    this.n = components;
    this.lastStep = new int[n * n];
    Arrays.fill(lastStep, -1);
    this.lastMsg = new Msg[n * n];
    this.lastDecision = new boolean[n * n];
    this.logs = new int[n][];
    for (int i = 0; i < n; i++) logs[i] = new int[64];
    this.logLen = new int[n];
    this.objs = new long[n][];
    for (int i = 0; i < n; i++) objs[i] = new long[64];
    this.lastLo = new long[n * n];
    this.lastHi = new long[n * n];
    this.since = new int[n * n];
  }

  /** A path's own decision (a re-check that retries, a trylock that fails). */
  public void outcome(String step, String outcome, List<String> possible) {
    coverage.declare(step, possible);
    addOutcome(Coverage.pack(0, coverage.id(step), coverage.id(outcome)));
  }

  private void addOutcome(long e) {
    if (nOutcomes == outcomes.length) outcomes = Arrays.copyOf(outcomes, nOutcomes * 2);
    outcomes[nOutcomes++] = e;
  }

  private void addWindow(long e) {
    if (nWindows == windows.length) windows = Arrays.copyOf(windows, nWindows * 2);
    windows[nWindows++] = e;
  }

  /**
   * Most messages name their step with a string constant, the same instance every time: a cache
   * per message class that compares by reference turns the name into its id without hashing.
   */
  static final class Names {
    String step;
    int stepId = -1;
    String outcome;
    int outcomeId = -1;
    String outcome2;
    int outcomeId2 = -1;
    Coverage declaredIn;
    /** The message names its replies' outcomes (a decision); else they are told apart by value alone. */
    boolean decision;
    /** The message names the objects it touches (else it is a step on its whole component). */
    boolean objects;
  }

  private Names names(Msg m) {
    Names c = coverage.names(m.getClass());
    if (c.declaredIn != coverage) {
      c.declaredIn = coverage;
      List<String> declared = m.outcomes();
      c.decision = declared != null;
      c.objects = namesObjects(m.getClass());
      if (declared != null) coverage.declare(m.step(), declared);
    }
    return c;
  }

  /** Whether the message class overrides Msg's objectStart() (once per class: no call per message). */
  private static boolean namesObjects(Class<?> type) {
    try {
      return type.getMethod("objectStart").getDeclaringClass() != Msg.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private int stepId(Names c, String step) {
    if (step != c.step) {
      c.stepId = coverage.id(step);
      c.step = step;
    }
    return c.stepId;
  }

  private int outcomeId(Names c, String o) {
    if (o == c.outcome) return c.outcomeId;
    if (o == c.outcome2) return c.outcomeId2;
    c.outcome2 = c.outcome;
    c.outcomeId2 = c.outcomeId;
    c.outcome = o;
    c.outcomeId = coverage.id(o);
    return c.outcomeId;
  }

  public void delivered(int from, int to, Msg m) {
    if (from < 0 || from >= n || to < 0 || to >= n) return;
    if (m instanceof ThreadProtocol.Ret r) {
      int k = to * n + from;
      Msg req = lastMsg[k];
      if (req != null) {
        lastMsg[k] = null;
        int o = lastDecision[k] ? outcomeId(names(req), req.outcome(r.value())) : coverage.genericOutcome(r.value());
        addOutcome(Coverage.pack(0, lastStep[k], o));
      }
      return;
    }
    Names names = names(m);
    int step = stepId(names, m.step());
    long lo = names.objects ? m.objectStart() : -1;
    long hi = lo < 0 ? -1 : m.objectEnd();
    // The target's log: every step delivered to it, with its sender and objects.
    int[] log = logs[to];
    int len = logLen[to];
    if (len + 2 > log.length) {
      logs[to] = log = Arrays.copyOf(log, log.length * 2);
      objs[to] = Arrays.copyOf(objs[to], log.length);
    }
    long[] obj = objs[to];
    int k = from * n + to;
    int before = lastStep[k];
    if (before >= 0) {
      // The window's objects: those of both its steps (none named: the whole component).
      long wlo = lastLo[k];
      long whi = lastHi[k];
      if (lo >= 0) {
        wlo = wlo < 0 ? lo : Math.min(wlo, lo);
        whi = Math.max(whi, hi);
      }
      // Steps of other lanes logged since this lane's last step here, on overlapping objects,
      // landed in its window.
      int emitted = 0;
      for (int i = since[k]; i < len && emitted < MAX_INTRUDERS; i += 2) {
        if (log[i + 1] == from) continue;
        long olo = obj[i];
        if (wlo >= 0 && olo >= 0 && (olo >= whi || obj[i + 1] <= wlo)) continue;
        int other = log[i];
        long e = Coverage.pack(before, step, other);
        if (emitted > 0 && windows[nWindows - 1] == e) continue;
        addWindow(e);
        emitted++;
      }
    }
    log[len] = step;
    log[len + 1] = from;
    obj[len] = lo;
    obj[len + 1] = hi;
    logLen[to] = len + 2;
    since[k] = len + 2;
    lastStep[k] = step;
    lastLo[k] = lo;
    lastHi[k] = hi;
    lastMsg[k] = m;
    lastDecision[k] = names.decision;
  }

  /** The run ended: its events count once each in the hunt's coverage. */
  public void end() {
    coverage.endRun(outcomes, nOutcomes, windows, nWindows);
  }
}
