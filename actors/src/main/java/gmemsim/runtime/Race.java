package gmemsim.runtime;

import gmemsim.oracle.Violation;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One distinct race behind an oracle's finding: the racing-step signature of its violations (the
 * step delivered when the oracle fired, and where each thread the violation names stood, by kind
 * of thread), how many runs showed it, and the first of them to replay.
 */
public record Race(String signature, long count, long firstRun, long firstRunSeed, Violation first, long[] schedule) {
  /** A labelled value ("gfn 0x80001", "index 3"), then any other number (taker0, cpu1). */
  private static final Pattern VALUES = Pattern.compile("\\s*\\b[a-z_]+[ =](0x[0-9a-f]+|\\d+)\\b");
  private static final Pattern NUMBERS = Pattern.compile("0x[0-9a-f]+|\\d+");

  /** At most this many races are kept per oracle; the runs of others count in the finding's total only. */
  public static final int MAX_PER_ORACLE = 8;

  /**
   * The signature of a violation that fired while {@code step} was delivered, with {@code lanes}
   * the "name: activity" of each thread it names. Thread numbers, pfns and counts are left out,
   * so taker0 and taker2 at the same point of the same path make one race.
   */
  public static String signature(String step, List<String> lanes) {
    List<String> kinds = lanes.stream().map(Race::withoutNumbers).sorted().distinct().toList();
    return step + (kinds.isEmpty() ? "" : " | " + String.join("; ", kinds));
  }

  /** The key of race {@code i} (from 0) of an oracle among a hunt's replay files. */
  public static String replayKey(String oracle, int i) {
    return oracle + "#race" + (i + 1);
  }

  /** Lanes repeat their few activities run after run: strip each one once. */
  private static final java.util.Map<String, String> STRIPPED = new java.util.concurrent.ConcurrentHashMap<>();

  private static String withoutNumbers(String lane) {
    String s = STRIPPED.get(lane);
    if (s == null) {
      // Source places (mm/gup.c:16, arch/x86/...) are the same in every run: kept whole.
      StringBuilder sb = new StringBuilder();
      java.util.regex.Matcher m = SOURCE.matcher(lane);
      int at = 0;
      while (m.find()) {
        sb.append(strip(lane.substring(at, m.start()))).append(m.group());
        at = m.end();
      }
      s = sb.append(strip(lane.substring(at))).toString().replaceAll("\\s+", " ").trim();
      if (STRIPPED.size() < 4096) STRIPPED.put(lane, s);
    }
    return s;
  }

  private static final Pattern SOURCE = Pattern.compile("\\([\\w./-]+\\.[ch]:\\d+\\)");

  private static String strip(String part) {
    return NUMBERS.matcher(VALUES.matcher(part).replaceAll("")).replaceAll("");
  }

  /** The same race, seen in more runs. */
  Race counted(long more) {
    return new Race(signature, count + more, firstRun, firstRunSeed, first, schedule);
  }
}
