package gmemsim.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/** Why a run was cut short instead of ending (summary.json's "cutShort" keys). */
public enum CutReason {
  STEP_LIMIT(
      "step-limit",
      "at the step limit (run.max-steps; in the akka runtime per component, or less so that every receive log"
          + " fits in a quarter of the heap)"),
  STILL_MOVING("still-moving", "still moving after 4 x runtime.run-timeout"),
  UNCONFIRMED_LIVELOCK(
      "unconfirmed-livelock", "livelock suspects (only spinners moved) whose log replay did not confirm a livelock");

  public final String key;
  public final String meaning;

  CutReason(String key, String meaning) {
    this.key = key;
    this.meaning = meaning;
  }

  /** Adds {@code more} into {@code into} (keys are {@link #key}s), in this enum's order. */
  public static Map<String, Long> merge(Map<String, Long> into, Map<String, Long> more) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (CutReason c : values()) {
      long n = into.getOrDefault(c.key, 0L) + more.getOrDefault(c.key, 0L);
      if (n > 0) out.put(c.key, n);
    }
    return out;
  }

  /** The meaning of a key, for the results text. */
  public static String meaningOf(String key) {
    for (CutReason c : values()) if (c.key.equals(key)) return c.meaning;
    throw new IllegalArgumentException("no cut reason '" + key + "'");
  }
}
