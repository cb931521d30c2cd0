package gmemsim.runtime.dfs;

import gmemsim.runtime.Envelope;
import gmemsim.runtime.ReplayStrategy;
import gmemsim.runtime.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stateless depth-first search over the schedules of one scenario, one run per explored schedule:
 * each run replays the choices down to the deepest choice point with something left to try, takes
 * the next choice there, and goes on with the first untried choice at every new point.
 *
 * <p>Two reductions, never both (Musuvathi and Qadeer, PLDI 2007, show that sleep sets under a
 * context bound can drop the only schedule within the bound):
 *
 * <ul>
 *   <li>Without a bound: sleep sets (Godefroid, LNCS 1032, 1996). Every choice at every point is
 *       explored, except those asleep: a delivery already explored from an earlier sibling, carried
 *       down while the steps taken since are independent of it. Two steps are independent when
 *       their footprints (the component a delivery reaches and the host threads its replies wake at
 *       once, {@link Strategy#stepDone}) share no component: each component owns its state, so such
 *       steps commute. The search then completes one run per class of equivalent interleavings
 *       (Mazurkiewicz trace), and stops the runs that can only repeat one ({@link Strategy#STOP}).
 *   <li>With a preemption bound N (CHESS, Musuvathi et al., OSDI 2008): every schedule that
 *       preempts at most N times, no reduction. A preemption is a switch away from the lane of the
 *       last step while that lane still has a message in flight, unless that step was a retry that
 *       yields (a spin), after which the switch is free.
 * </ul>
 *
 * <p>The model's open choices ({@link gmemsim.model.Ctx#choose}: which page a guest touches, an
 * injected allocation failure) are choice points of the same search, each outcome tried, so the
 * search covers data as well as schedules.
 *
 * <p>Both are fair to spinners as CHESS is: after a lane's yielding step, another lane with a message
 * in flight goes first, so a retry loop cannot go round while the lane it waits for is held off.
 */
public final class DfsStrategy implements Strategy {
  static final long NONE = Long.MIN_VALUE;

  /** A delivery explored (or asleep) at a choice point, with what it touched. */
  record Sleeper(long id, int[] footprint) {}

  /** One choice point: the messages in flight (or a data choice's outcomes) and what has been tried. */
  static final class Node {
    /** A choice of the model's, not of a message: its outcomes are 0..n-1 and nothing sleeps. */
    final boolean data;
    final long[] enabled;
    final int[] lanes;
    final boolean[] yields;
    final int prevLane;
    final boolean prevYielded;
    final int preemptions;
    final List<Sleeper> sleep;
    /** Per choice: false when taking it now would break the claimed order (null: no claim). */
    boolean[] allowed;
    final List<Sleeper> done = new ArrayList<>();
    long chosen = NONE;
    int[] chosenFootprint;
    /** A point of a piece's prefix: its one choice is the piece's, the others belong to other pieces. */
    boolean fixed;

    Node(long[] enabled, int[] lanes, boolean[] yields, int prevLane, boolean prevYielded, int preemptions, List<Sleeper> sleep) {
      this(false, enabled, lanes, yields, prevLane, prevYielded, preemptions, sleep);
    }

    Node(boolean data, long[] enabled, int[] lanes, boolean[] yields, int prevLane, boolean prevYielded, int preemptions,
        List<Sleeper> sleep) {
      this.data = data;
      this.enabled = enabled;
      this.lanes = lanes;
      this.yields = yields;
      this.prevLane = prevLane;
      this.prevYielded = prevYielded;
      this.preemptions = preemptions;
      this.sleep = sleep;
    }

    int indexOf(long id) {
      for (int i = 0; i < enabled.length; i++) if (enabled[i] == id) return i;
      return -1;
    }

    boolean laneEnabled(int lane) {
      for (int l : lanes) if (l == lane) return true;
      return false;
    }

    /** 1 when choosing enabled[i] here preempts the last step's lane. */
    int cost(int i) {
      return !data && prevLane >= 0 && !prevYielded && lanes[i] != prevLane && laneEnabled(prevLane) ? 1 : 0;
    }

    /** Per choice: its lane yielded and still owes a turn to a lane that could go (CHESS's fair rule). */
    boolean[] held;

    boolean heldBack(int i) {
      return held != null && held[i];
    }

    static boolean listed(List<Sleeper> l, long id) {
      for (Sleeper s : l) if (s.id == id) return true;
      return false;
    }

    /** Whether choice i is still to be tried here: not done, not asleep, not held back, allowed, within the bound. */
    boolean open(int i, int bound) {
      long id = enabled[i];
      if (listed(done, id) || listed(sleep, id) || heldBack(i) || (allowed != null && !allowed[i])) return false;
      return bound < 0 || preemptions + cost(i) <= bound;
    }

    /** The next choice to try here (the last lane's own message first, then by id), or NONE. */
    long next(int bound) {
      if (fixed) return NONE;
      long best = NONE;
      boolean bestContinues = false;
      for (int i = 0; i < enabled.length; i++) {
        long id = enabled[i];
        if (!open(i, bound)) continue;
        boolean continues = lanes[i] == prevLane;
        if (best == NONE || (continues && !bestContinues) || (continues == bestContinues && id < best)) {
          best = id;
          bestContinues = continues;
        }
      }
      return best;
    }
  }

  private final int bound;
  private final Claim claim;
  /** Splitting: a run that reaches this many points stops and leaves its prefix as a piece (-1: no splitting). */
  private int cutAt = -1;
  private final List<Piece> pieces = new ArrayList<>();
  /** Searching one piece: its prefix is taken as given, and its sleep set is that of the first point after it. */
  private Piece piece;
  /** The machine's components in the run being made (for the claim: who sent a step, from where). */
  private List<gmemsim.model.Component> comps = List.of();
  /** Claimed steps seen in order so far in this run; the most in any run; whether a run saw them all. */
  private int matched;
  private int mostMatched = -1;
  private boolean reached;
  private boolean lastWasClaimed;
  /** Where each actor was when the run that got furthest along the claim ended. */
  private List<String> furthestState = List.of();
  private String furthestEnd = "";
  private final List<Node> path = new ArrayList<>();
  /**
   * Fairness (Musuvathi and Qadeer, "Fair stateless model checking", PLDI 2008): a lane that
   * yields (a retry) waits until every lane that had a message in flight at its yield has taken a
   * step. By lane: the lanes it still owes a turn. Rebuilt in every run from its own choices.
   */
  private final java.util.Map<Integer, java.util.Set<Integer>> owes = new java.util.HashMap<>();
  /** Points [0, replayTo) of the path are taken as the previous run took them (the last with its new choice). */
  private int replayTo;
  /** The next point of the path this run reaches. */
  private int pos;
  /** The point of the step being delivered, and of the last step delivered (-1: none yet). */
  private int current = -1;
  private int lastStep = -1;
  /** The sleep set of the next new point, worked out when the step before it was done. */
  private List<Sleeper> nextSleep = List.of();
  private boolean stopped;
  private long complete;
  private long sleepBlocked;
  private int deepest;
  /** Estimating the search instead of making it (run.dfs-estimate); null when searching. */
  private KnuthProbe probe;

  /** @param preemptionBound the most preemptions a schedule may make, or -1 for every schedule (sleep sets) */
  public DfsStrategy(int preemptionBound) {
    this(preemptionBound, null);
  }

  /**
   * A subtree of the search: the choices of its first points, and the sleep set the whole search
   * would carry into the point after them. The pieces of a split cover the whole search exactly once.
   */
  public record Piece(long[] prefix, List<Sleeper> sleep) {
    /** The piece as plain arrays (prefix, then per sleeper its id and footprint), to send to another node. */
    public Wire wire() {
      long[] ids = new long[sleep.size()];
      List<int[]> footprints = new ArrayList<>();
      for (int i = 0; i < ids.length; i++) {
        ids[i] = sleep.get(i).id();
        footprints.add(sleep.get(i).footprint());
      }
      return new Wire(prefix, ids, footprints);
    }
  }

  /** A piece as it crosses nodes. */
  public record Wire(long[] prefix, long[] sleepIds, List<int[]> sleepFootprints) {
    public Piece piece() {
      List<Sleeper> sleep = new ArrayList<>();
      for (int i = 0; i < sleepIds.length; i++) sleep.add(new Sleeper(sleepIds[i], sleepFootprints.get(i)));
      return new Piece(prefix, List.copyOf(sleep));
    }
  }

  /**
   * Random walks down the search's tree instead of the search. With a bound, the tree is the bounded
   * search's; without one, sleep sets are not applied, so the estimate is of every schedule (an upper
   * bound on the runs of the sleep-set search).
   */
  public static DfsStrategy prober(int preemptionBound, Claim claim, long seed) {
    DfsStrategy d = new DfsStrategy(preemptionBound, claim);
    d.probe = new KnuthProbe(preemptionBound, seed);
    return d;
  }

  /** Probes made, and the mean and sample variance of their weights (the estimate and its spread). */
  public long probes() {
    return probe.probes();
  }

  public double meanWeight() {
    return probe.meanWeight();
  }

  public double weightVariance() {
    return probe.weightVariance();
  }

  /** A search that only splits: every run stops at {@code depth} points, leaving its prefix as a piece. */
  public static DfsStrategy splitter(int preemptionBound, Claim claim, int depth) {
    DfsStrategy d = new DfsStrategy(preemptionBound, claim);
    d.cutAt = depth;
    return d;
  }

  /** A search of one piece of a split. */
  public static DfsStrategy of(int preemptionBound, Claim claim, Piece piece) {
    DfsStrategy d = new DfsStrategy(preemptionBound, claim);
    d.piece = piece;
    return d;
  }

  public List<Piece> pieces() {
    return pieces;
  }

  /** Whether point d is in the piece's prefix (then its choice is given). */
  private boolean given(int d) {
    return piece != null && d < piece.prefix().length;
  }

  /** Splitting: the run reached the cut; its prefix is a piece. */
  private boolean cut(int d) {
    if (cutAt < 0 || d < cutAt) return false;
    long[] prefix = new long[d];
    for (int i = 0; i < d; i++) prefix[i] = path.get(i).chosen;
    pieces.add(new Piece(prefix, bound >= 0 ? List.of() : List.copyOf(nextSleep)));
    path.add(new Node(new long[0], new int[0], new boolean[0], -1, false, 0, List.of()));
    stopped = true;
    return true;
  }

  /** @param claim the order claimed steps must come in (null: every interleaving) */
  public DfsStrategy(int preemptionBound, Claim claim) {
    this.bound = preemptionBound;
    this.claim = claim;
  }

  @Override
  public void attach(List<gmemsim.model.Component> components) {
    this.comps = components;
  }

  /**
   * The first claimed step at or after {@code from} that e would be, or -1. Only an executor's
   * step of kernel source can be one.
   */
  private int claimed(Envelope e, int from) {
    if (claim == null || !(e.msg() instanceof gmemsim.model.prim.Step s)) return -1;
    gmemsim.model.Component c = comps.get(e.from());
    if (!c.isExecutor()) return -1;
    String[][] frames = c.sourceFrames();
    String prim = gmemsim.model.prim.Primitives.get(s.prim()).name();
    for (int j = from; j < claim.size(); j++) if (claim.get(j).matches(c.name(), frames, prim)) return j;
    return -1;
  }

  /** The fair rule's books after e is chosen from pool: e's lane has had its turn; a yield owes the others one. */
  private void turn(Envelope e, List<Envelope> pool) {
    for (java.util.Set<Integer> s : owes.values()) s.remove(e.lane());
    owes.values().removeIf(java.util.Set::isEmpty);
    if (e.msg().yields()) {
      java.util.Set<Integer> others = new java.util.HashSet<>();
      for (Envelope x : pool) if (x.lane() != e.lane()) others.add(x.lane());
      if (!others.isEmpty()) owes.put(e.lane(), others);
    }
  }

  /** Which choices the fair rule holds back now; none when it would hold back all. */
  private boolean[] held(int[] lanes) {
    if (owes.isEmpty()) return null;
    java.util.Set<Integer> enabled = new java.util.HashSet<>();
    for (int l : lanes) enabled.add(l);
    boolean[] h = new boolean[lanes.length];
    boolean any = false;
    boolean all = true;
    for (int i = 0; i < lanes.length; i++) {
      java.util.Set<Integer> o = owes.get(lanes[i]);
      int mine = lanes[i];
      h[i] = o != null && o.stream().anyMatch(l -> l != mine && enabled.contains(l));
      any |= h[i];
      all &= h[i];
    }
    return !any || all ? null : h;
  }

  /** Counts e against the claim when it is delivered. */
  private void note(Envelope e) {
    lastWasClaimed = false;
    if (claim == null) return;
    int j = claimed(e, matched);
    lastWasClaimed = j >= 0 || claimed(e, 0) >= 0;
    if (j == matched) {
      matched++;
      if (matched == claim.size()) reached = true;
    }
  }

  @Override
  public String name() {
    return "dfs";
  }

  public int bound() {
    return bound;
  }

  @Override
  public boolean observesSteps() {
    return true;
  }

  /** Whether the model's open choices are points of the search (else each component's seeded draws decide them). */
  private boolean searchData = true;

  /** This search with the model's choices left to the run seed: a search of schedules alone. */
  public DfsStrategy drawingData() {
    searchData = false;
    return this;
  }

  @Override
  public boolean choosesData() {
    return searchData;
  }

  @Override
  public int choose(int n) {
    int d = pos++;
    if (d < replayTo) {
      Node node = path.get(d);
      if (!node.data || node.enabled.length != n) {
        throw new ReplayStrategy.ScheduleDivergence("choice point " + d + ": the model asked for a choice of " + n
            + " where the search recorded " + (node.data ? "one of " + node.enabled.length : "a step"));
      }
      return (int) node.chosen;
    }
    long[] outcomes = new long[n];
    for (int i = 0; i < n; i++) outcomes[i] = i;
    Node node = new Node(true, outcomes, new int[n], new boolean[n], -1, false, 0, List.of());
    path.add(node);
    if (given(d)) {
      node.chosen = piece.prefix()[d];
      node.fixed = true;
      return (int) node.chosen;
    }
    node.chosen = probe != null ? probe.draw(node, pos) : node.next(bound);
    // Sleepers pass through a data choice unchanged: it is part of the step that made it.
    return (int) node.chosen;
  }

  @Override
  public void beginRun(long runSeed, int components) {
    owes.clear();
    matched = 0;
    pos = 0;
    lastStep = -1;
    current = -1;
    stopped = false;
    nextSleep = List.of();
  }

  @Override
  public int pick(List<Envelope> pool, long step) {
    int d = pos++;
    current = d;
    if (d < replayTo) {
      if (path.get(d).data) {
        throw new ReplayStrategy.ScheduleDivergence("choice point " + d + ": a step where the search recorded a choice of the model's");
      }
      long want = path.get(d).chosen;
      for (int i = 0; i < pool.size(); i++) {
        if (pool.get(i).id() == want) {
          note(pool.get(i));
          turn(pool.get(i), pool);
          return i;
        }
      }
      throw new ReplayStrategy.ScheduleDivergence("step " + d + ": the message " + Envelope.sender(want) + "#" + Envelope.seq(want)
          + " the search chose here before is not in flight: the model is not deterministic under one seed");
    }
    if (cut(d)) return STOP;
    Envelope[] byId = pool.toArray(new Envelope[0]);
    Arrays.sort(byId, (a, b) -> Long.compare(a.id(), b.id()));
    long[] ids = new long[byId.length];
    int[] lanes = new int[byId.length];
    boolean[] yields = new boolean[byId.length];
    for (int i = 0; i < byId.length; i++) {
      ids[i] = byId[i].id();
      lanes[i] = byId[i].lane();
      yields[i] = byId[i].msg().yields();
    }
    Node parent = lastStep < 0 ? null : path.get(lastStep);
    int prevLane = parent == null ? -1 : parent.lanes[parent.indexOf(parent.chosen)];
    boolean prevYielded = parent != null && parent.yields[parent.indexOf(parent.chosen)];
    int pre = parent == null ? 0 : parent.preemptions + parent.cost(parent.indexOf(parent.chosen));
    Node n = new Node(ids, lanes, yields, prevLane, prevYielded, pre, bound >= 0 ? List.of() : nextSleep);
    n.held = held(lanes);
    if (claim != null) {
      // A step that would be a later claimed step than the next one breaks the order: not now.
      n.allowed = new boolean[byId.length];
      for (int i = 0; i < byId.length; i++) {
        int j = claimed(byId[i], matched);
        n.allowed[i] = j < 0 || j == matched;
      }
    }
    path.add(n);
    deepest = Math.max(deepest, path.size());
    long c = given(d) ? piece.prefix()[d] : probe != null ? probe.draw(n, pos) : n.next(bound);
    n.fixed = given(d);
    if (c == NONE) {
      stopped = true;
      sleepBlocked++;
      return STOP;
    }
    n.chosen = c;
    for (int i = 0; i < pool.size(); i++) {
      if (pool.get(i).id() == c) {
        note(pool.get(i));
        turn(pool.get(i), pool);
        return i;
      }
    }
    throw new IllegalStateException("chosen message not in flight");
  }

  @Override
  public void stepDone(Envelope e, int[] touched, int nTouched, long[] sent, int nSent) {
    Node n = path.get(current);
    lastStep = current;
    int[] fp = Arrays.stream(touched, 0, nTouched).distinct().sorted().toArray();
    // Claimed steps all read and move the claim's count: they depend on each other.
    if (lastWasClaimed) {
      fp = Arrays.copyOf(fp, fp.length + 1);
      fp[fp.length - 1] = Integer.MAX_VALUE;
    }
    n.chosenFootprint = fp;
    if (bound >= 0 || probe != null || pos < replayTo) return;
    if (piece != null && pos == piece.prefix().length) {
      // Past the prefix: the sleep set the whole search carried here, not this piece's own (empty) one.
      nextSleep = piece.sleep();
      return;
    }
    if (given(pos)) {
      nextSleep = List.of();
      return;
    }
    List<Sleeper> s = new ArrayList<>();
    for (Sleeper x : n.sleep) if (disjoint(x.footprint, fp)) s.add(x);
    for (Sleeper x : n.done) if (disjoint(x.footprint, fp)) s.add(x);
    nextSleep = s;
  }

  static boolean disjoint(int[] a, int[] b) {
    int i = 0;
    int j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) return false;
      if (a[i] < b[j]) i++;
      else j++;
    }
    return true;
  }

  /**
   * After a run: back up to the deepest point with a choice left and take it. False when there is
   * none: the search is over.
   */
  public boolean nextRun() {
    if (!stopped) complete++;
    if (claim != null && matched > mostMatched) {
      mostMatched = matched;
      List<String> state = new ArrayList<>();
      for (gmemsim.model.Component c : comps) {
        if (!c.isExecutor()) continue;
        String[] site = c.sourceSite();
        state.add(c.name() + ": " + (c.activity().isEmpty() ? "finished"
            : (site == null ? "" : "at " + site[1] + ": " + site[2] + "  (") + c.activity() + (site == null ? "" : ")")));
      }
      furthestState = state;
      furthestEnd = stopped ? "every step still possible there would have broken the claimed order (a step in flight"
          + " is the one each actor below waits on)" : "the run ended without it";
    }
    if (probe != null) {
      probe.endRun(path.size());
      path.clear();
      replayTo = 0;
      return true;
    }
    // Points past the last step taken (none is made after the pool empties) are not in the path.
    while (!path.isEmpty()) {
      int d = path.size() - 1;
      Node n = path.get(d);
      if (n.chosen != NONE && (n.data || n.chosenFootprint != null)) {
        n.done.add(new Sleeper(n.chosen, n.data ? new int[0] : n.chosenFootprint));
      }
      long c = n.next(bound);
      if (c != NONE) {
        n.chosen = c;
        n.chosenFootprint = null;
        replayTo = d + 1;
        return true;
      }
      path.remove(d);
    }
    replayTo = 0;
    return false;
  }

  /** Whether the run just made made every claimed step in the claimed order. */
  public boolean runMadeClaim() {
    return claim != null && matched == claim.size();
  }

  /** Whether some run made every claimed step in the claimed order. */
  public boolean reached() {
    return reached;
  }

  /** The most claimed steps any run made in order. */
  public int mostMatched() {
    return Math.max(0, mostMatched);
  }

  /** Each actor's place when the run that got furthest along the claim ended, and why it ended. */
  public List<String> furthestState() {
    return furthestState;
  }

  public String furthestEnd() {
    return furthestEnd;
  }

  /** Runs that completed a schedule (without a bound: one per class of equivalent interleavings). */
  public long complete() {
    return complete;
  }

  /** Runs stopped because everything left from a point was asleep. */
  public long sleepBlocked() {
    return sleepBlocked;
  }

  /** The most choice points a run went through. */
  public int deepest() {
    return deepest;
  }

  /**
   * The search as it stands between two runs (after {@link #nextRun} returned true): the points
   * to replay and what each has tried. The claim's own counts are not kept: resume a claimed
   * search from its start.
   */
  public Frontier frontier(String scenario, String kernel, String knobs, long runsBefore) {
    List<Frontier.Point> points = new ArrayList<>();
    for (Node n : path) {
      points.add(new Frontier.Point(n.data, n.enabled, n.lanes, n.yields, n.prevLane, n.prevYielded, n.preemptions,
          slept(n.sleep), slept(n.done), n.allowed, n.chosen));
    }
    return new Frontier(Frontier.FORMAT, scenario, kernel, knobs, points, replayTo, runsBefore, complete, sleepBlocked, deepest);
  }

  private static List<Frontier.Slept> slept(List<Sleeper> l) {
    return l.stream().map(s -> new Frontier.Slept(s.id(), s.footprint())).toList();
  }

  /** A search that goes on from a frontier: its next run is the one the saved search would have made. */
  public static DfsStrategy resume(int preemptionBound, Claim claim, Frontier f) {
    DfsStrategy d = new DfsStrategy(preemptionBound, claim);
    for (Frontier.Point p : f.path()) {
      Node n = new Node(p.data(), p.enabled(), p.lanes(), p.yields(), p.prevLane(), p.prevYielded(), p.preemptions(),
          p.sleep().stream().map(s -> new Sleeper(s.id(), s.footprint())).toList());
      for (Frontier.Slept s : p.done()) n.done.add(new Sleeper(s.id(), s.footprint()));
      n.allowed = p.allowed();
      n.chosen = p.chosen();
      d.path.add(n);
    }
    d.replayTo = f.replayTo();
    d.complete = f.complete();
    d.sleepBlocked = f.stopped();
    d.deepest = f.deepest();
    return d;
  }
}
