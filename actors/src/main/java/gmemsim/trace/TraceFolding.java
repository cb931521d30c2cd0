package gmemsim.trace;

import gmemsim.oracle.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, for the text trace and the HTML report alike, which steps a reader must see and which
 * may be folded away. Steps of the actors the violation names are racing steps, other steps on
 * the pages it names touch the race, and the violating step is the focus; none of them is ever
 * folded. A long stretch of one sender's other steps (a split walking 511 tails) is folded to its
 * first and last {@link #KEEP} steps, with a count of what was hidden by kernel step.
 */
public final class TraceFolding {
  public static final int KEEP = 2;

  /** How a step relates to the violation in focus. */
  public enum Mark {
    FOCUS(">>"), CAUSE(" !"), RACER(" *"), TOUCH(" +"), OTHER("  ");

    public final String text;

    Mark(String text) {
      this.text = text;
    }
  }

  /** What to show: one step, or a folded stretch of one sender's steps. */
  public sealed interface Block permits Shown, Folded {}

  public record Shown(TraceLine line, Mark mark) implements Block {}

  /**
   * @param hidden the folded steps, in order
   * @param kinds how many of each kernel step were hidden, in order of first appearance
   */
  public record Folded(String from, List<TraceLine> hidden, Map<String, Integer> kinds) implements Block {
    public String summary() {
      StringBuilder what = new StringBuilder();
      kinds.forEach((s, c) -> what.append(what.length() == 0 ? "" : ", ").append(s).append(" x").append(c));
      return String.format(
          "%d more steps by %s (%d..%d): %s",
          hidden.size(), from, hidden.get(0).step(), hidden.get(hidden.size() - 1).step(), what);
    }
  }

  private final Violation focus;
  private final Set<String> actors;
  private final List<String> objects;

  public TraceFolding(Violation focus) {
    this.focus = focus;
    this.actors = focus == null ? Set.of() : Set.copyOf(focus.actors());
    this.objects = focus == null ? List.of() : focus.objects();
  }

  public Mark mark(TraceLine l) {
    if (focus != null
        && l.step() == focus.step()
        && l.fired().stream().anyMatch(v -> v.oracle().equals(focus.oracle()))) {
      return Mark.FOCUS;
    }
    return actors.contains(l.from()) ? Mark.RACER : touches(l) ? Mark.TOUCH : Mark.OTHER;
  }

  /** The blocks to show; with {@code full} nothing is folded. */
  public List<Block> blocks(List<TraceLine> lines, boolean full) {
    List<Block> out = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      if (full || kept(lines.get(i))) {
        out.add(new Shown(lines.get(i), mark(lines.get(i))));
        i++;
        continue;
      }
      int j = i;
      while (j + 1 < lines.size()
          && !kept(lines.get(j + 1))
          && lines.get(j + 1).from().equals(lines.get(i).from())) {
        j++;
      }
      if (j - i + 1 <= 2 * KEEP + 1) {
        for (int k = i; k <= j; k++) out.add(new Shown(lines.get(k), Mark.OTHER));
      } else {
        for (int k = i; k < i + KEEP; k++) out.add(new Shown(lines.get(k), Mark.OTHER));
        List<TraceLine> hidden = lines.subList(i + KEEP, j - KEEP + 1);
        Map<String, Integer> kinds = new LinkedHashMap<>();
        for (TraceLine h : hidden) kinds.merge(h.kernelStep(), 1, Integer::sum);
        out.add(new Folded(lines.get(i).from(), List.copyOf(hidden), kinds));
        for (int k = j - KEEP + 1; k <= j; k++) out.add(new Shown(lines.get(k), Mark.OTHER));
      }
      i = j + 1;
    }
    return out;
  }

  private boolean kept(TraceLine l) {
    return !l.fired().isEmpty() || actors.contains(l.from()) || touches(l);
  }

  /** Whether the step's first argument (the page or folio it operates on) is one of these. */
  private boolean touches(TraceLine l) {
    String c = l.call();
    int eq = c.indexOf('=');
    if (eq < 0) return false;
    int end = eq + 1;
    while (end < c.length() && c.charAt(end) != ',' && c.charAt(end) != ')') end++;
    return objects.contains(c.substring(eq + 1, end));
  }

  /**
   * The racing steps only, and of those the last {@code before} before the violating step
   * and the first {@code after} after it; the rest fold. So the violating step sits near
   * the top of the page, on screen when it opens, however long the race.
   */
  public List<Block> brief(List<TraceLine> lines, int before, int after) {
    java.util.Set<TraceLine> causes = new java.util.HashSet<>(LivenessCause.of(focus, lines));
    List<Shown> marked = new ArrayList<>();
    int focus = -1;
    for (TraceLine l : lines) {
      Mark m = mark(l);
      if (m == Mark.OTHER && l.fired().isEmpty() && !causes.contains(l)) continue;
      if (m == Mark.FOCUS && focus < 0) focus = marked.size();
      marked.add(new Shown(l, m));
    }
    if (focus < 0) focus = marked.size() - 1;
    int from = Math.max(0, focus - before);
    int to = Math.min(marked.size(), focus + after + 1);
    if (from == 1) from = 0; // folding one step saves nothing
    if (to == marked.size() - 1) to = marked.size();
    List<Block> out = new ArrayList<>();
    foldAround(out, marked.subList(0, from), causes);
    out.addAll(marked.subList(from, to));
    foldAround(out, marked.subList(to, marked.size()), causes);
    return out;
  }

  /**
   * Folds rows, except the steps that caused a liveness finding: those stay on screen, each with
   * the rows between them folded, so a deadlock's lock-taking step is not folded away with the
   * spin that followed.
   */
  private static void foldAround(List<Block> out, List<Shown> rows, java.util.Set<TraceLine> causes) {
    int start = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (!causes.contains(rows.get(i).line())) continue;
      if (i > start) out.add(folded(rows.subList(start, i)));
      out.add(new Shown(rows.get(i).line(), Mark.CAUSE));
      start = i + 1;
    }
    if (start < rows.size()) out.add(folded(rows.subList(start, rows.size())));
  }

  private static Folded folded(List<Shown> rows) {
    Map<String, Integer> kinds = new java.util.LinkedHashMap<>();
    for (Shown r : rows) kinds.merge(r.line().kernelStep(), 1, Integer::sum);
    return new Folded("the racing actors", rows.stream().map(Shown::line).toList(), kinds);
  }
}
