package gmemsim.trace;

import gmemsim.oracle.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Formats a trace for a terminal or a plain-text mail: one line per delivered message (step,
 * sender -> receiver, kernel step with arguments, what it changed). Steps of the actors the
 * violation names are marked {@code *}, other steps on the pages it names {@code +}, the
 * violating step {@code >>}. A long stretch of one sender's other steps (a split walking 511
 * tails) is shortened to its first and last lines unless {@code full} is set; a marked step is
 * never hidden.
 */
public final class TextTrace {
  private static final int KEEP = 2;

  private TextTrace() {}

  public static String format(
      List<TraceLine> lines, List<Violation> atEnd, Violation focus, boolean full) {
    Set<String> actors = focus == null ? Set.of() : Set.copyOf(focus.actors());
    List<String> objects = focus == null ? List.of() : focus.objects();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%6s  %-9s    %-7s %s%n", "step", "from", "to", "kernel step -> what it changed"));
    int i = 0;
    while (i < lines.size()) {
      if (full || kept(lines.get(i), actors, objects)) {
        line(sb, lines.get(i), actors, objects, focus);
        i++;
        continue;
      }
      int j = i;
      while (j + 1 < lines.size()
          && !kept(lines.get(j + 1), actors, objects)
          && lines.get(j + 1).from().equals(lines.get(i).from())) {
        j++;
      }
      int n = j - i + 1;
      if (n <= 2 * KEEP + 1) {
        for (int k = i; k <= j; k++) line(sb, lines.get(k), actors, objects, focus);
      } else {
        for (int k = i; k < i + KEEP; k++) line(sb, lines.get(k), actors, objects, focus);
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (int k = i + KEEP; k <= j - KEEP; k++) kinds.merge(lines.get(k).kernelStep(), 1, Integer::sum);
        StringBuilder what = new StringBuilder();
        kinds.forEach((s, c) -> what.append(what.length() == 0 ? "" : ", ").append(s).append(" x").append(c));
        sb.append(
            String.format(
                "%6s  ... %d more steps by %s (%d..%d): %s%n",
                "", n - 2 * KEEP, lines.get(i).from(), lines.get(i + KEEP).step(),
                lines.get(j - KEEP).step(), what));
        for (int k = j - KEEP + 1; k <= j; k++) line(sb, lines.get(k), actors, objects, focus);
      }
      i = j + 1;
    }
    for (Violation v : atEnd) {
      sb.append(String.format("%6s  !! %s: %s%n", "end", v.oracle(), v.message()));
    }
    return sb.toString();
  }

  private static boolean kept(TraceLine l, Set<String> actors, List<String> objects) {
    return !l.fired().isEmpty() || actors.contains(l.from()) || touches(l, objects);
  }

  /** Whether the step's first argument (the page or folio it operates on) is one of these. */
  private static boolean touches(TraceLine l, List<String> objects) {
    String c = l.call();
    int eq = c.indexOf('=');
    if (eq < 0) return false;
    int end = eq + 1;
    while (end < c.length() && c.charAt(end) != ',' && c.charAt(end) != ')') end++;
    return objects.contains(c.substring(eq + 1, end));
  }

  private static void line(
      StringBuilder sb, TraceLine l, Set<String> actors, List<String> objects, Violation focus) {
    boolean isFocus =
        focus != null
            && l.step() == focus.step()
            && l.fired().stream().anyMatch(v -> v.oracle().equals(focus.oracle()));
    String mark =
        isFocus ? ">>" : actors.contains(l.from()) ? " *" : touches(l, objects) ? " +" : "  ";
    String effect = l.changes().isEmpty() ? "" : " -> " + String.join("; ", l.changes());
    sb.append(
        String.format("%s%4d  %-9s -> %-7s %s%s%n", mark, l.step(), l.from(), l.to(), l.call(), effect));
    for (Violation v : l.fired()) {
      sb.append(String.format("%6s  !! %s: %s%n", "", v.oracle(), v.message()));
    }
  }
}
