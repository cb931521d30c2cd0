package gmemsim.scenario;

import java.util.List;

/**
 * One scenario key: its type, default and the one-line description {@code gmemsim list} prints.
 *
 * @param allowed for {@link KnobType#ENUM}, the accepted words (the first line of {@code list});
 *     for other types empty
 * @param min inclusive lower bound for INT/LONG
 * @param max inclusive upper bound for INT/LONG
 */
public record Knob(
    String key,
    KnobType type,
    Object defaultValue,
    String description,
    List<String> allowed,
    long min,
    long max) {

  static Knob ofInt(String key, int def, long min, long max, String description) {
    return new Knob(key, KnobType.INT, def, description, List.of(), min, max);
  }

  static Knob ofLong(String key, long def, String description) {
    return new Knob(key, KnobType.LONG, def, description, List.of(), Long.MIN_VALUE, Long.MAX_VALUE);
  }

  static Knob ofBool(String key, boolean def, String description) {
    return new Knob(key, KnobType.BOOL, def, description, List.of(), 0, 0);
  }

  static Knob ofString(String key, String def, String description) {
    return new Knob(key, KnobType.STRING, def, description, List.of(), 0, 0);
  }

  static Knob ofEnum(String key, String def, List<String> allowed, String description) {
    if (!allowed.contains(def)) throw new IllegalArgumentException(key + ": default not allowed");
    return new Knob(key, KnobType.ENUM, def, description, List.copyOf(allowed), 0, 0);
  }

  static Knob ofSize(String key, String def, String description) {
    return new Knob(key, KnobType.SIZE, def, description, List.of(), 0, 0);
  }

  static Knob ofBudget(String key, String def, String description) {
    return new Knob(key, KnobType.BUDGET, def, description, List.of(), 0, 0);
  }

  static Knob ofRate(String key, double def, String description) {
    return new Knob(key, KnobType.RATE, def, description, List.of(), 0, 0);
  }

  static Knob ofDuration(String key, String def, String description) {
    return new Knob(key, KnobType.DURATION, def, description, List.of(), 0, 0);
  }

  static Knob ofPrograms(String key, String description) {
    return new Knob(key, KnobType.PROGRAMS, gmemsim.scenario.program.Programs.NONE, description, List.of(), 0, 0);
  }

  static Knob ofStrings(String key, String description) {
    return new Knob(key, KnobType.STRING_LIST, List.of(), description, List.of(), 0, 0);
  }

  static Knob ofOracles(String key, String description) {
    return new Knob(key, KnobType.ORACLE_LIST, List.of(), description, List.of(), 0, 0);
  }

  /** The default as it would be written in a scenario file. */
  public String defaultText() {
    if (defaultValue instanceof List<?> l) return l.toString();
    if (defaultValue instanceof gmemsim.scenario.program.Programs) return "[]";
    return String.valueOf(defaultValue);
  }
}
