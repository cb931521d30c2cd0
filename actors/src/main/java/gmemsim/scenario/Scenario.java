package gmemsim.scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated scenario: one typed value for every known key, and where each value came from so
 * that later checks (an impossible topology, say) can still point at the file and line.
 */
public final class Scenario {
  private final String source;
  private final Map<Knob, Object> values;
  private final Map<Knob, String> origins;
  /** Knobs some part of the machine or runtime asked for: the others set in a file are silent. */
  private final java.util.Set<Knob> read = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Who read each knob while the machine was built (the actor or component being built). */
  private final Map<Knob, java.util.Set<String>> readers = new java.util.concurrent.ConcurrentHashMap<>();
  private static final ThreadLocal<String> READER = new ThreadLocal<>();
  /**
   * Set once a machine was built from this scenario: every later build reads the same knobs, so
   * who reads what is known and need not be recorded again.
   */
  private volatile boolean built;

  public void markBuilt() {
    READER.remove();
    built = true;
  }

  /** Whether a machine was built from this scenario already (reads are no longer recorded). */
  public boolean built() {
    return built;
  }

  /** What the machine builder derived from this scenario once and reuses for every run. */
  private final Map<Object, Object> memo = new java.util.concurrent.ConcurrentHashMap<>();

  Scenario(String source, Map<Knob, Object> values, Map<Knob, String> origins) {
    this.source = source;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
  }

  /** The file (or replay file) this scenario was read from. */
  public String source() {
    return source;
  }

  public String name() {
    return string(Knobs.NAME);
  }

  public int intValue(Knob k) {
    return (Integer) get(k, KnobType.INT);
  }

  public long longValue(Knob k) {
    return (Long) get(k, KnobType.LONG);
  }

  public boolean bool(Knob k) {
    return (Boolean) get(k, KnobType.BOOL);
  }

  /**
   * The value derived from this scenario under {@code key}, computed once (machines are built once
   * per run, their static checks need not be).
   */
  @SuppressWarnings("unchecked")
  public <T> T memo(Object key, java.util.function.Supplier<T> compute) {
    Object v = memo.get(key);
    if (v == null) {
      v = compute.get();
      memo.putIfAbsent(key, v);
    }
    return (T) v;
  }

  /** Names the actor or component whose construction reads knobs from now on (null: nobody in particular). */
  public void reader(String who) {
    if (built) return;
    if (who == null) READER.remove();
    else READER.set(who);
  }

  /** Knob by knob, who read it while the machine was built. */
  public Map<Knob, java.util.Set<String>> readers() {
    return Collections.unmodifiableMap(readers);
  }

  private void noteRead(Knob k) {
    if (built) return;
    read.add(k);
    String who = READER.get();
    if (who != null) readers.computeIfAbsent(k, x -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(who);
  }

  /**
   * A string knob's value without counting it as read: for a reader that decides afterwards
   * whether the value matters (a design knob's variant matters only if code that runs uses it).
   */
  public String peek(Knob k) {
    Object v = values.get(k);
    if (!(v instanceof String s)) throw new IllegalArgumentException(k.key() + " is not a string");
    return s;
  }

  /** Counts k as read by the reader being built now (see {@link #peek}). */
  public void markRead(Knob k) {
    noteRead(k);
  }

  public String string(Knob k) {
    noteRead(k);
    Object v = values.get(k);
    if (!(v instanceof String s)) throw new IllegalArgumentException(k.key() + " is not a string");
    return s;
  }

  public long bytes(Knob k) {
    return (Long) get(k, KnobType.SIZE);
  }

  public Budget budget(Knob k) {
    return (Budget) get(k, KnobType.BUDGET);
  }

  public double rate(Knob k) {
    return (Double) get(k, KnobType.RATE);
  }

  public java.time.Duration duration(Knob k) {
    return (java.time.Duration) get(k, KnobType.DURATION);
  }

  /** The actors the file declares with their programs (none: the legacy workload knobs build the machine). */
  public gmemsim.scenario.program.Programs programs(Knob k) {
    return (gmemsim.scenario.program.Programs) get(k, KnobType.PROGRAMS);
  }

  /** Whether the file gave this knob a value (a default is not given). */
  public boolean given(Knob k) {
    String o = origins.get(k);
    return o != null && !o.endsWith("(default)");
  }

  @SuppressWarnings("unchecked")
  public List<String> strings(Knob k) {
    return (List<String>) get(k, KnobType.STRING_LIST);
  }

  @SuppressWarnings("unchecked")
  public List<String> oracles(Knob k) {
    return (List<String>) get(k, KnobType.ORACLE_LIST);
  }

  private Object get(Knob k, KnobType type) {
    if (k.type() != type) throw new IllegalArgumentException(k.key() + " is not " + type);
    noteRead(k);
    return values.get(k);
  }

  /** Key prefixes the runtime, the report and the CLI read, not the machine's actors. */
  private static final List<String> RUNTIME_KEYS = List.of("scenario.", "run.", "runtime.", "expect.", "faults.preempt-");

  /**
   * Knobs the file or a --set gave a value that no actor read while the machine was built: a
   * value that changes nothing is a mistake the user must hear about (call after building).
   */
  public List<Knob> silentKnobs() {
    List<Knob> out = new java.util.ArrayList<>();
    for (Knob k : values.keySet()) {
      String o = origins.get(k);
      if (o == null || o.endsWith("(default)") || read.contains(k)) continue;
      if (RUNTIME_KEYS.stream().anyMatch(p -> k.key().startsWith(p))) continue;
      out.add(k);
    }
    return out;
  }

  /** The {@code --set key=value} arguments that gave a value, in the order of the keys (for report titles). */
  public List<String> setByCommandLine() {
    List<String> out = new java.util.ArrayList<>();
    for (Map.Entry<Knob, String> e : origins.entrySet()) {
      String o = e.getValue();
      if (o != null && o.startsWith("--set ")) out.add(o);
    }
    return out;
  }

  /** "file:line: key" for error messages about this knob's value. */
  public String where(Knob k) {
    return origins.get(k) + ": " + k.key();
  }

  /** Every knob with its effective value, in registry order, as JSON-friendly values. */
  public Map<String, Object> effective() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<Knob, Object> e : values.entrySet()) {
      Object v = e.getValue();
      out.put(
          e.getKey().key(),
          v instanceof Budget b ? b.toString()
              : v instanceof java.time.Duration d ? d.toMillis() + "ms"
              : v instanceof gmemsim.scenario.program.Programs p ? p.plain()
              : v);
    }
    return out;
  }
}
