package gmemsim.runtime;

import java.util.ArrayList;
import java.util.Arrays;
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
  /** The pseudo-oracle of a hunt's sample clean run in replay files. */
  public static final String SAMPLE = "sample";

  private static final int BITS = 21;
  private static final long MASK = (1L << BITS) - 1;

  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> names = new ArrayList<>();
  /** Packed (step, outcome) and (a, b, intruder) -> runs. */
  private final Map<Long, long[]> outcomeRuns = new HashMap<>();
  private final Map<Long, long[]> windowRuns = new HashMap<>();
  private final Map<String, List<String>> possible = new TreeMap<>();
  private long runs;

  /** Message class -> the recorders' name cache for it: open addressing by identity (cheaper than ClassValue). */
  private Class<?>[] classes = new Class<?>[128];
  private CoverageRecorder.Names[] caches = new CoverageRecorder.Names[128];
  private int cached;

  CoverageRecorder.Names names(Class<?> type) {
    int mask = classes.length - 1;
    int i = System.identityHashCode(type) & mask;
    for (Class<?> k; (k = classes[i]) != null; i = (i + 1) & mask) {
      if (k == type) return caches[i];
    }
    if (2 * (cached + 1) > classes.length) {
      Class<?>[] oldK = classes;
      CoverageRecorder.Names[] oldV = caches;
      classes = new Class<?>[oldK.length * 2];
      caches = new CoverageRecorder.Names[oldK.length * 2];
      cached = 0;
      for (int j = 0; j < oldK.length; j++) if (oldK[j] != null) put(oldK[j], oldV[j]);
    }
    CoverageRecorder.Names n = new CoverageRecorder.Names();
    put(type, n);
    return n;
  }

  private void put(Class<?> type, CoverageRecorder.Names n) {
    int mask = classes.length - 1;
    int i = System.identityHashCode(type) & mask;
    while (classes[i] != null) i = (i + 1) & mask;
    classes[i] = type;
    caches[i] = n;
    cached++;
  }

  private final int zeroId = id("0");
  private final int positiveId = id("> 0");
  private final Map<Long, Integer> negativeIds = new HashMap<>();

  /** The outcome id of a reply whose message names no decisions: 0, a positive value, an errno. */
  int genericOutcome(long value) {
    if (value == 0) return zeroId;
    if (value > 0) return positiveId;
    return negativeIds.computeIfAbsent(value, v -> id(GENERIC.outcome(v)));
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

  /** A run ended: each packed event it saw counts once for it. */
  void endRun(long[] outcomes, int nOutcomes, long[] windows, int nWindows) {
    runs++;
    merge(outcomes, nOutcomes, outcomeRuns);
    lastRunWindows = merge(windows, nWindows, windowRuns);
    timeline.add(lastRunWindows);
  }

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
  }

  /** Odd multipliers, inverse of each other mod 2^64: spread packed keys over the hash bins. */
  private static final long MIX = 0x9E3779B97F4A7C15L;
  private static final long UNMIX = inverse(MIX);

  private static long inverse(long a) {
    long x = a;
    for (int i = 0; i < 6; i++) x *= 2 - a * x;
    return x;
  }

  /** Counts each distinct event once; returns how many were distinct. */
  private static int merge(long[] events, int n, Map<Long, long[]> into) {
    Arrays.sort(events, 0, n);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0 && events[i] == events[i - 1]) continue;
      distinct++;
      into.computeIfAbsent(events[i] * MIX, x -> new long[1])[0]++;
    }
    return distinct;
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
    outcomeRuns.forEach((mixed, v) -> {
      long k = mixed * UNMIX;
      out.computeIfAbsent(name(k >>> BITS), x -> new TreeMap<>()).put(name(k), v[0]);
    });
    return out;
  }

  /** Window "A -> B" -> the other lane's step that landed inside -> runs. */
  public Map<String, Map<String, Long>> windows() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    windowRuns.forEach((mixed, v) -> {
      long k = mixed * UNMIX;
      out.computeIfAbsent(name(k >>> (2 * BITS)) + " -> " + name(k >>> BITS), x -> new TreeMap<>()).put(name(k), v[0]);
    });
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
