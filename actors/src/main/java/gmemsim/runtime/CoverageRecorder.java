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
 * inside it. A step that names no object overlaps everything on its component. Per delivery: a
 * reference comparison or two to name the step, a pass over the steps the target received since
 * the sender's last step there, and one probe of a primitive map per event ({@link RunCounts}).
 * One recorder serves every run of a hunt.
 */
public final class CoverageRecorder {
  /** Intruders recorded per window: the first distinct steps that landed (a lane that waits long sees many). */
  private static final int MAX_INTRUDERS = 32;
  /** Per step id: the window (a count of windows closed) that last saw it intrude; dedups in O(1). */
  private int[] seenIn = new int[256];
  private int windowNo;

  private final Coverage coverage;
  private final int n;
  /** Per lane and component: the id of the lane's last step there, or -1. */
  private final int[] lastStep;
  /**
   * Per lane and component: the request awaiting its reply, when its outcomes are named decisions
   * (others are told apart by the reply's value alone). Allocated per run: a recorder lives
   * for the hunt (old generation), and a store of a young message into an old array costs a G1
   * card mark per delivery.
   */
  private Msg[] lastMsg;
  /** Per lane and component: a step was delivered and its reply (if any) not yet seen. */
  private final boolean[] awaiting;
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
  CoverageRecorder(Coverage coverage, int components) {
    this.coverage = coverage;
    this.n = components;
    this.lastStep = new int[n * n];
    Arrays.fill(lastStep, -1);
    this.lastMsg = new Msg[n * n];
    this.awaiting = new boolean[n * n];
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
    coverage.outcomeSeen(Coverage.pack(0, coverage.id(step), coverage.id(outcome)));
  }

  /** A path an executor was given to run this run. */
  public void declarePath(gmemsim.model.exec.SourcePath p) {
    coverage.declarePath(p);
  }

  /** The hunt's counters of program p's basic blocks: kernel source counts one per block entered. */
  public int[] blockCounts(gmemsim.lang.Program p) {
    return coverage.blockCounts(p);
  }

  /** Ready for the next run of a machine of as many components (the arrays are reused). */
  void reset() {
    Arrays.fill(lastStep, -1);
    lastMsg = new Msg[n * n];
    Arrays.fill(awaiting, false);
    Arrays.fill(logLen, 0);
  }

  int components() {
    return n;
  }

  /**
   * One step as one message class names it. Most messages name their step with a string constant,
   * the same instance every time, so {@link Coverage#names} finds the entry by the string's cached
   * hash and a reference comparison, without hashing characters or looking up the class.
   */
  static final class Names {
    String step;
    Class<?> type;
    int stepId;
    String outcome;
    int outcomeId = -1;
    String outcome2;
    int outcomeId2 = -1;
    /** The message names its replies' outcomes (a decision); else they are told apart by value alone. */
    boolean decision;
    /** The message names the objects it touches (else it is a step on its whole component). */
    boolean objects;
  }

  /** A primitive's step by its id: the one message class of kernel source needs no hashing. */
  private Names[] byPrim = new Names[64];

  private Names names(Msg m) {
    if (m instanceof gmemsim.model.prim.Step s) {
      int id = s.prim();
      if (id >= byPrim.length) byPrim = Arrays.copyOf(byPrim, Math.max(id + 1, byPrim.length * 2));
      Names c = byPrim[id];
      if (c == null) byPrim[id] = c = namesOf(m);
      return c;
    }
    return namesOf(m);
  }

  private Names namesOf(Msg m) {
    String step = m.step();
    Class<?> type = m.getClass();
    Names c = coverage.names(step, type);
    if (c.type == null) {
      c.type = type;
      c.step = step;
      c.stepId = coverage.id(step);
      List<String> declared = m.outcomes();
      c.decision = declared != null;
      c.objects = namesObjects(type);
      if (declared != null) coverage.declare(step, declared);
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
      if (awaiting[k]) {
        awaiting[k] = false;
        Msg req = lastMsg[k];
        int o;
        if (req != null) {
          lastMsg[k] = null;
          o = outcomeId(names(req), req.outcome(r.value()));
        } else {
          o = coverage.genericOutcome(r.value());
        }
        coverage.outcomeSeen(Coverage.pack(0, lastStep[k], o));
      }
      return;
    }
    Names names = names(m);
    int step = names.stepId;
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
      if (windowNo == Integer.MAX_VALUE) {
        Arrays.fill(seenIn, 0);
        windowNo = 0;
      }
      int w = ++windowNo;
      int[] seen = seenIn;
      for (int i = since[k]; i < len && emitted < MAX_INTRUDERS; i += 2) {
        if (log[i + 1] == from) continue;
        long olo = obj[i];
        if (wlo >= 0 && olo >= 0 && (olo >= whi || obj[i + 1] <= wlo)) continue;
        int other = log[i];
        // Distinct intruding steps: a lane that waited long sees one step of another many times.
        if (other >= seen.length) seenIn = seen = Arrays.copyOf(seen, Math.max(other + 1, seen.length * 2));
        if (seen[other] == w) continue;
        seen[other] = w;
        emitted++;
        coverage.windowSeen(Coverage.pack(before, step, other));
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
    awaiting[k] = true;
    if (names.decision) lastMsg[k] = m;
  }

  /** The run ended: its events count once each in the hunt's coverage. */
  public void end() {
    coverage.endRun();
  }
}
