package gmemsim.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a hunt's runs exercised (issue 14): for every kernel step, the outcomes seen and in how
 * many runs; for every race window (the gap between two steps of one lane on the same component),
 * which steps of other lanes landed inside it and in how many runs. {@link CoverageRecorder}s fill
 * it, one per run, in the controlled runtime, with steps and outcomes as small ids; a run's
 * events are merged once, at its end. One thread only.
 */
public final class Coverage {
  /** Other nodes' program points: function -> point -> reached. */
  private final Map<String, Map<String, Boolean>> remotePoints = new TreeMap<>();

  /** Kernel source: the program that ran, and how often each of its basic blocks was entered. */
  private gmemsim.lang.Program program;
  private int[] blocks;
  /** Entry functions of the paths the executors were given (kernel source). */
  private final java.util.Set<String> sourceEntries = new java.util.TreeSet<>();

  /** The counters of program p's blocks (one program per hunt; a new one starts the count again). */
  int[] blockCounts(gmemsim.lang.Program p) {
    if (p != program) {
      program = p;
      blocks = new int[p.blocks()];
    }
    return blocks;
  }

  /**
   * A path an executor was given to run (its program): the points of its entry function are
   * listed even if no run started it.
   */
  void declarePath(gmemsim.model.exec.SourcePath p) {
    sourceEntries.add(p.name());
  }

  /**
   * For every kernel function that ran: each basic block, in source order, and whether a run
   * entered it. A block never entered is a line of a function that ran but never got there.
   */
  public Map<String, Map<String, Boolean>> programPoints() {
    Map<String, Map<String, Boolean>> out = new TreeMap<>();
    sourcePoints(out);
    remotePoints.forEach((path, points) -> {
      Map<String, Boolean> mine = out.computeIfAbsent(path, x -> new java.util.LinkedHashMap<>());
      points.forEach((pc, r) -> mine.merge(pc, r, Boolean::logicalOr));
    });
    return out;
  }

  /**
   * Kernel source's program points: for every function that ran, and every entry function the
   * programs named, each basic block as "file:line: the line", and whether a run entered it. A
   * function of another variant was not compiled into this program, so it is never listed.
   */
  private void sourcePoints(Map<String, Map<String, Boolean>> out) {
    if (program == null) return;
    Map<gmemsim.lang.Fn, Map<String, Boolean>> byFn = new java.util.LinkedHashMap<>();
    java.util.Set<gmemsim.lang.Fn> ran = new java.util.HashSet<>();
    for (int b = 0; b < program.blocks(); b++) {
      gmemsim.lang.Site s = program.block(b);
      byFn.computeIfAbsent(s.fn(), f -> new java.util.LinkedHashMap<>())
          .merge(s.pos().fileLine() + ": " + s.line(), blocks[b] > 0, Boolean::logicalOr);
      if (blocks[b] > 0) ran.add(s.fn());
    }
    byFn.forEach((fn, points) -> {
      if (ran.contains(fn) || sourceEntries.contains(fn.name)) out.put(fn.name + " (" + fn.pos.fileLine() + ")", points);
    });
  }

  /**
   * Path -> the points of its counter no run reached, for paths that ran (paths that reached them
   * all are left out; paths that never ran are {@link #neverRan()}).
   */
  public Map<String, List<String>> neverReached() {
    Map<String, List<String>> out = new TreeMap<>();
    programPoints().forEach((path, points) -> {
      List<String> never = points.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
      if (!never.isEmpty() && never.size() < points.size()) out.put(path, never);
    });
    return out;
  }

  /** Paths of the scenario's programs that no run started: none of their points was reached. */
  public List<String> neverRan() {
    List<String> out = new ArrayList<>();
    programPoints().forEach((path, points) -> {
      if (!points.containsValue(true)) out.add(path);
    });
    return out;
  }

  /** The pseudo-oracle of a hunt's sample clean run in replay files. */
  public static final String SAMPLE = "sample";

  private static final int BITS = 21;
  private static final long MASK = (1L << BITS) - 1;

  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> names = new ArrayList<>();
  /** Packed (step, outcome) and (a, b, intruder) -> runs. */
  private final RunCounts outcomeRuns = new RunCounts();
  private final RunCounts windowRuns = new RunCounts();
  private final Map<String, List<String>> possible = new TreeMap<>();
  private long runs;

  /** (step name, message class) -> the recorders' entry for it: open addressing by reference. */
  private CoverageRecorder.Names[] entries = new CoverageRecorder.Names[256];
  private int nEntries;

  /** The entry of a step name as a message class names it; a fresh one (type null) on first sight. */
  CoverageRecorder.Names names(String step, Class<?> type) {
    CoverageRecorder.Names[] t = entries;
    int mask = t.length - 1;
    int i = (step.hashCode() * 0x9E3779B9 >>> 8) & mask;
    for (CoverageRecorder.Names e; (e = t[i]) != null; i = (i + 1) & mask) {
      // equals() only on a slot shared with another name, or a name built per call (one entry per content)
      if (e.type == type && (e.step == step || e.step.equals(step))) return e;
    }
    CoverageRecorder.Names e = new CoverageRecorder.Names();
    e.step = step;
    t[i] = e;
    if (++nEntries * 2 > t.length) rehash();
    return e;
  }

  private void rehash() {
    CoverageRecorder.Names[] old = entries;
    entries = new CoverageRecorder.Names[old.length * 2];
    int mask = entries.length - 1;
    for (CoverageRecorder.Names e : old) {
      if (e == null) continue;
      int i = (e.step.hashCode() * 0x9E3779B9 >>> 8) & mask;
      while (entries[i] != null) i = (i + 1) & mask;
      entries[i] = e;
    }
  }

  private final int zeroId = id("0");
  private final int positiveId = id("> 0");
  /** Ids of the outcomes -1 .. -4095 (errnos, as IS_ERR_VALUE bounds them), filled on first sight. */
  private final int[] negativeIds = new int[4096];

  /** The outcome id of a reply whose message names no decisions: 0, a positive value, an errno. */
  int genericOutcome(long value) {
    if (value == 0) return zeroId;
    if (value > 0) return positiveId;
    if (value < -4095) return id(GENERIC.outcome(value));
    int i = (int) -value;
    // stored plus one: 0 marks an errno not seen yet
    if (negativeIds[i] == 0) negativeIds[i] = id(GENERIC.outcome(value)) + 1;
    return negativeIds[i] - 1;
  }

  /** Any message, for Msg's default naming of outcomes. */
  private static final gmemsim.model.Msg GENERIC = () -> "reply";

  /** The id of a step or outcome name. */
  int id(String name) {
    Integer i = ids.get(name);
    if (i == null) {
      i = names.size();
      if (i > MASK) throw new IllegalStateException("more than 2^21 step names");
      ids.put(name, i);
      names.add(name);
    }
    return i;
  }

  static long pack(long a, long b, long c) {
    return (a << (2 * BITS)) | (b << BITS) | c;
  }

  void declare(String step, List<String> outcomes) {
    if (outcomes != null) possible.putIfAbsent(step, List.copyOf(outcomes));
  }

  private CoverageRecorder recorder;

  /** The recorder for the next run of a machine of {@code components} components. */
  public CoverageRecorder recorder(int components) {
    if (recorder == null || recorder.components() != components) recorder = new CoverageRecorder(this, components);
    else recorder.reset();
    return recorder;
  }

  /**
   * Events this run counted already, direct-mapped by a hash: a run repeats most of its events,
   * and this small array stays in the L1 cache where the hunt's table does not.
   */
  private final long[] countedThisRun = filled(256);

  private static long[] filled(int n) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, -1L);
    return a;
  }

  private boolean countedAlready(long packed) {
    int h = (int) ((packed * 0x9E3779B97F4A7C15L) >>> 56);
    if (countedThisRun[h] == packed) return true;
    countedThisRun[h] = packed;
    return false;
  }

  /** A step's outcome seen in the current run. */
  void outcomeSeen(long packed) {
    if (!countedAlready(packed)) outcomeRuns.see(packed, runs);
  }

  /** A window opened by an intruder in the current run. */
  void windowSeen(long packed) {
    // Windows are packed with a non-zero first step id or tagged: never equal to an outcome key.
    long key = packed | WINDOW_TAG;
    if (!countedAlready(key) && windowRuns.see(packed, runs)) runWindows++;
  }

  private static final long WINDOW_TAG = 1L << 63;

  /**
   * This coverage by name, to ship to another node: runs, step -> outcome -> runs, window ->
   * intruder -> runs, and the declared outcomes (plain maps and lists, registered with Kryo).
   */
  public record Snapshot(
      long runs,
      Map<String, Map<String, Long>> outcomes,
      Map<String, Map<String, Long>> windows,
      Map<String, List<String>> possible,
      Map<String, Map<String, Boolean>> points,
      long[] windowsPerRun,
      Map<Long, List<String>> hits,
      Finding sample,
      long sampleWindows) {}

  public Snapshot snapshot() {
    return new Snapshot(runs, plain(outcomes()), plain(windows()), new HashMap<>(possible), plain(programPoints()),
        perRun == null ? new long[0] : java.util.Arrays.copyOf(perRun, perRunLen), new HashMap<>(hitRuns), sample,
        sampleWindows);
  }

  private static <V> Map<String, Map<String, V>> plain(Map<String, Map<String, V>> m) {
    Map<String, Map<String, V>> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, new java.util.LinkedHashMap<>(v)));
    return out;
  }

  /**
   * Adds another node's runs: counts add (each run was made on one node only). The timeline, the
   * sample run and per-run window counts stay those of the runs made here.
   */
  public void add(Snapshot o) {
    runs += o.runs();
    o.possible().forEach(possible::putIfAbsent);
    o.points().forEach((path, points) -> {
      Map<String, Boolean> mine = remotePoints.computeIfAbsent(path, x -> new java.util.LinkedHashMap<>());
      points.forEach((pc, r) -> mine.merge(pc, r, Boolean::logicalOr));
    });
    o.outcomes().forEach((step, by) -> by.forEach((out, n) ->
        outcomeRuns.add(pack(0, id(step), id(out)), n)));
    o.windows().forEach((w, by) -> {
      int arrow = w.indexOf(" -> ");
      int a = id(w.substring(0, arrow));
      int b = id(w.substring(arrow + 4));
      by.forEach((intruder, n) -> windowRuns.add(pack(a, b, id(intruder)), n));
    });
  }

  /** A run ended: each event it saw counted once for it. */
  void endRun() {
    runs++;
    java.util.Arrays.fill(countedThisRun, -1L);
    lastRunWindows = runWindows;
    runWindows = 0;
    timeline.add(lastRunWindows);
    if (perRun != null) {
      if (perRunLen == perRun.length) perRun = java.util.Arrays.copyOf(perRun, perRunLen * 2);
      perRun[perRunLen++] = lastRunWindows;
    }
  }

  private int runWindows;
  private int lastRunWindows;
  private final Timeline timeline = new Timeline();

  /** Distinct windows the last run opened. */
  public int lastRunWindows() {
    return lastRunWindows;
  }

  /** Windows opened per run and oracle hits over the hunt, downsampled for the report's pictures. */
  public Timeline timeline() {
    return timeline;
  }

  /** The oracles that fired in the run that just ended. */
  public void fired(java.util.Collection<String> oracles) {
    timeline.fired(oracles);
    if (perRun != null && !oracles.isEmpty()) hitRuns.put(runs - 1, new ArrayList<>(oracles));
  }

  /**
   * Run {@code run} (seed {@code runSeed}) just ended with {@code r}, {@code elapsedMs} into the
   * hunt: its oracles go on the timeline, and a clean run that opened more windows than any before
   * becomes the hunt's sample.
   */
  public void ranOnce(long run, long runSeed, RunResult r, long elapsedMs) {
    fired(r.violations().stream().map(gmemsim.oracle.Violation::oracle).toList());
    if (r.violations().isEmpty() && !r.truncated() && lastRunWindows > sampleWindows) {
      sampleWindows = lastRunWindows;
      gmemsim.oracle.Violation v = new gmemsim.oracle.Violation(SAMPLE, r.steps(), List.of(), List.of(),
          "no oracle fired: the hunt's sample clean run, the one that opened the most race windows (" + sampleWindows + ")");
      sample = new Finding(SAMPLE, 1, run, runSeed, elapsedMs, run + 1, v, r.schedule());
    }
  }

  private Finding sample;
  private long sampleWindows = -1;

  /** The clean run that opened the most race windows, to replay; null if every run fired or was cut. */
  public Finding sample() {
    return sample;
  }

  /**
   * Per run, in order, the windows it opened (a swarm worker's coverage of one seed range, so that
   * the coordinator can draw the hunt's timeline in run order); null unless asked for.
   */
  private long[] perRun;
  private int perRunLen;
  /** With perRun: run (counted from this coverage's first) -> the oracles that fired in it. */
  private final Map<Long, List<String>> hitRuns = new HashMap<>();

  /** Keeps each run's window count and oracles for {@link #snapshot()} (one seed range's coverage). */
  public Coverage keepingRuns() {
    perRun = new long[64];
    return this;
  }

  /** The timeline of another node's runs [first, first + n), merged by the coordinator in run order. */
  public void timelineOf(Snapshot s) {
    for (int i = 0; i < s.windowsPerRun().length; i++) {
      timeline.add((int) s.windowsPerRun()[i]);
      List<String> hit = s.hits().get((long) i);
      if (hit != null) timeline.fired(hit);
    }
  }

  /** Adopts another node's sample if it opened more windows (the lower run on a tie). */
  public void sampleOf(Snapshot s) {
    if (s.sample() == null) return;
    if (s.sampleWindows() > sampleWindows || (s.sampleWindows() == sampleWindows && s.sample().firstRun() < sample.firstRun())) {
      sample = s.sample();
      sampleWindows = s.sampleWindows();
    }
  }

  public long runs() {
    return runs;
  }

  /** Whether the step's outcomes are named decisions (its message or path lists them). */
  public boolean declared(String step) {
    return possible.containsKey(step);
  }

  private String name(long id) {
    return names.get((int) (id & MASK));
  }

  /** Step -> outcome -> runs it was seen in. */
  public Map<String, Map<String, Long>> outcomes() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    outcomeRuns.forEach((k, v) -> out.computeIfAbsent(name(k >>> BITS), x -> new TreeMap<>()).put(name(k), v));
    return out;
  }

  /** Window "A -> B" -> the other lane's step that landed inside -> runs. */
  public Map<String, Map<String, Long>> windows() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    windowRuns.forEach((k, v) ->
        out.computeIfAbsent(name(k >>> (2 * BITS)) + " -> " + name(k >>> BITS), x -> new TreeMap<>()).put(name(k), v));
    return out;
  }

  /** Outcomes a step can have (as its message or path declares them) that no run saw. */
  public Map<String, List<String>> neverSeen() {
    Map<String, Map<String, Long>> seen = outcomes();
    Map<String, List<String>> out = new TreeMap<>();
    possible.forEach((step, all) -> {
      Map<String, Long> s = seen.getOrDefault(step, Map.of());
      List<String> missing = all.stream().filter(o -> !s.containsKey(o)).toList();
      if (!missing.isEmpty()) out.put(step, missing);
    });
    return out;
  }

  /**
   * In how many runs a window was opened: "A -> B <- C" by step C; "A -> B" by any step (then at
   * least the largest single count, since one run may count under several intruders).
   */
  public long windowRuns(String spec) {
    String w = spec;
    String by = null;
    int i = spec.indexOf(" <- ");
    if (i >= 0) {
      w = spec.substring(0, i).trim();
      by = spec.substring(i + 4).trim();
    }
    Map<String, Long> m = windows().get(w.trim());
    if (m == null) return 0;
    if (by != null) return m.getOrDefault(by, 0L);
    return m.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** For reports: the windows as (window, intruder, runs), most opened first. */
  public List<Map.Entry<String, Long>> windowList() {
    List<Map.Entry<String, Long>> out = new ArrayList<>();
    windows().forEach((w, by) -> by.forEach((s, n) -> out.add(Map.entry(w + " <- " + s, n))));
    out.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    return out;
  }
}
