package gmemsim.scenario;

/** The value kinds a scenario key can hold; each is checked when the file is loaded. */
public enum KnobType {
  INT,
  LONG,
  BOOL,
  STRING,
  /** One of a fixed list of words. */
  ENUM,
  /** A byte size such as {@code 16M}, stored as bytes. */
  SIZE,
  /** {@code 30s} / {@code 2m} (wall time) or {@code 5000runs} (run count). */
  BUDGET,
  /** A list of oracle names. */
  ORACLE_LIST,
  /** A list of free-form strings (race windows "a -> b" or "a -> b <- c"). */
  STRING_LIST,
  /** A probability in [0, 1]. */
  RATE,
  /** The {@code actors} list: each actor's kind and program ({@link gmemsim.scenario.program.Programs}). */
  PROGRAMS,
  /** A duration such as {@code 20ms}, stored as a {@link java.time.Duration}. */
  DURATION
}
