package gmemsim.report;

import gmemsim.oracle.Violation;
import gmemsim.trace.TraceFolding;
import gmemsim.trace.TraceFolding.Block;
import gmemsim.trace.TraceFolding.Folded;
import gmemsim.trace.TraceFolding.Mark;
import gmemsim.trace.TraceFolding.Shown;
import gmemsim.trace.TraceLine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code report.html}: the page a reviewer attaches to a review. Self-contained (style and script
 * inline, no fonts or libraries fetched), so it reads the same offline and in a mail archive.
 *
 * <p>Per violation: the race in brief (only the racing steps, as a sequence diagram), the ghost
 * state right after the violating step, then the whole interleaving as a sequence diagram with one
 * lane per component and one arrow per delivered message, long stretches of uninvolved steps
 * folded behind a button. Then the knobs (those that differ from the defaults first), the run's
 * summary and the replay commands. Without JavaScript every step is shown; the script folds,
 * and scrolls the first violating step into view if it is not.
 */
public final class HtmlReport {
  /** A folded stretch longer than this is not written out step by step (the replay has it). */
  static final int MAX_FOLD_ROWS = 400;

  /** Past this many rows a diagram stops; {@code gmemsim replay --full} prints the rest. */
  static final int MAX_ROWS = 20_000;

  /** Racing steps the brief shows before and after the violating step; the rest fold. */
  public static final int BRIEF_BEFORE = 12;

  public static final int BRIEF_AFTER = 4;

  /** One oracle that fired, with its traced first run. */
  public record Section(String oracle, long count, String replayCommand, ViolationTrace trace) {}

  /**
   * @param knobs the effective knobs; {@code changed} those that differ from the defaults
   * @param summary the text the run printed
   */
  public record Page(
      String scenario,
      String description,
      String outcome,
      boolean matches,
      Map<String, Object> knobs,
      Set<String> changed,
      String summary,
      List<Section> sections,
      String exposure,
      String coverage) {}

  private HtmlReport() {}

  public static void write(Path file, Page p) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(p), StandardCharsets.UTF_8);
  }

  public static String render(Page p) {
    StringBuilder h = new StringBuilder(1 << 16);
    String title =
        "gmemsim: "
            + p.scenario()
            + (p.sections().isEmpty()
                ? ": no oracle fired"
                : ": " + String.join(", ", p.sections().stream().map(Section::oracle).toList()));
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc(title))
        .append("</title>\n<style>\n")
        .append(resource("report.css"))
        .append("</style></head>\n<body>\n<h1>")
        .append(esc(title))
        .append("</h1>\n<p class=\"desc\">")
        .append(esc(p.description()))
        .append("</p>\n<p class=\"outcome ")
        .append(p.matches() ? "match" : "mismatch")
        .append("\">outcome: ")
        .append(esc(p.outcome()))
        .append("</p>\n");
    if (p.exposure() != null) h.append("<p class=\"exposure\">").append(esc(p.exposure())).append("</p>\n");
    if (!p.sections().isEmpty()) {
      h.append("<p class=\"toc\">fired:");
      for (Section s : p.sections()) {
        h.append(s == p.sections().get(0) ? " " : ", ").append("<a href=\"#v-").append(anchor(s))
            .append("\">").append(esc(s.oracle())).append("</a> (").append(s.count()).append(" run(s))");
      }
      h.append("; <a href=\"#knobs\">knobs</a>, <a href=\"#summary\">summary</a></p>\n");
    }
    for (Section s : p.sections()) section(h, s);
    if (p.coverage() != null) h.append(p.coverage());
    knobs(h, p);
    h.append("<h2 id=\"summary\">Summary</h2>\n<pre class=\"summary\">").append(esc(p.summary())).append("</pre>\n");
    h.append("<script>\n").append(resource("report.js")).append("</script>\n</body></html>\n");
    return h.toString();
  }

  private static void section(StringBuilder h, Section s) {
    ViolationTrace t = s.trace();
    Violation v = t.want();
    h.append("<section class=\"violation\" id=\"v-").append(anchor(s)).append("\">\n<h2>")
        .append(esc(s.oracle())).append(" at step ").append(v.step()).append("</h2>\n")
        .append("<p class=\"message\">").append(esc(v.message())).append("</p>\n");
    TraceFolding folding = new TraceFolding(v);
    List<Block> brief = folding.brief(t.lines(), BRIEF_BEFORE, BRIEF_AFTER);
    h.append("<h3>The race in brief</h3>\n<p class=\"legend\"><span class=\"k focus\">violating step</span>"
        + " <span class=\"k racer\">steps of ").append(esc(String.join(", ", v.actors())))
        .append("</span> <span class=\"k touch\">other steps on ")
        .append(esc(v.objects().isEmpty() ? "the pages it names" : String.join(", ", v.objects())))
        .append("</span></p>\n");
    diagram(h, t, folding, brief, anchor(s) + "-brief");
    h.append("<p>Replay: <code>").append(esc(s.replayCommand())).append("</code>");
    if (!t.reproduced()) {
      h.append(" <strong class=\"warn\">(did not reproduce in this re-execution: ")
          .append(esc(t.divergence() != null ? t.divergence()
              : t.got() == null ? "the oracle did not fire" : "it fired at step " + t.got().step()))
          .append(")</strong>");
    }
    h.append("</p>\n");
    h.append("<h3>Ghost state right after step ").append(v.step()).append("</h3>\n");
    if (t.ghost().isEmpty()) {
      h.append("<p>No component holds ghost facts about the pages this violation names.</p>\n");
    } else {
      h.append("<ul class=\"ghost\">\n");
      for (String g : t.ghost()) h.append("<li><code>").append(esc(g)).append("</code></li>\n");
      h.append("</ul>\n");
    }
    h.append("<h3>The whole interleaving (").append(t.lines().size())
        .append(" steps; folded stretches open with their button)</h3>\n");
    diagram(h, t, folding, folding.blocks(t.lines(), false), anchor(s));
    if (!t.atEnd().isEmpty()) {
      h.append("<p>At the end of the run:</p>\n<ul>\n");
      for (Violation e : t.atEnd()) {
        h.append("<li class=\"fired\">").append(esc(e.oracle())).append(": ").append(esc(e.message())).append("</li>\n");
      }
      h.append("</ul>\n");
    }
    h.append("</section>\n");
  }


  /** A sequence diagram: a table with one column per lane that the blocks use. */
  private static void diagram(
      StringBuilder h, ViolationTrace t, TraceFolding folding, List<Block> blocks, String id) {
    Set<Integer> used = new TreeSet<>();
    for (Block b : blocks) {
      for (TraceLine l : b instanceof Shown s ? List.of(s.line()) : ((Folded) b).hidden()) {
        used.add(t.lanes().indexOf(l.from()));
        used.add(t.lanes().indexOf(l.to()));
      }
    }
    List<Integer> lanes = new ArrayList<>(used);
    h.append("<table class=\"seq\" data-lanes=\"").append(lanes.size()).append("\">\n<thead><tr><th class=\"n\">step</th>");
    for (int c : lanes) {
      h.append("<th class=\"lane\">").append(esc(t.lanes().get(c))).append("<br><small>")
          .append(esc(t.laneKinds().get(c))).append("</small></th>");
    }
    h.append("<th class=\"what\">kernel step -&gt; what it changed</th><th class=\"src\">the source line that made it</th></tr></thead>\n<tbody>\n");
    int rows = 0;
    int fold = 0;
    for (Block b : blocks) {
      if (rows >= MAX_ROWS) {
        h.append("<tr class=\"cut\"><td></td><td colspan=\"").append(lanes.size() + 2)
            .append("\">... the diagram stops here; <code>gmemsim replay --full</code> prints every step</td></tr>\n");
        break;
      }
      if (b instanceof Shown s) {
        row(h, t, lanes, s.line(), s.mark(), id, "");
        rows++;
      } else if (b instanceof Folded f) {
        String k = id + "-" + fold++;
        h.append("<tr class=\"fold\"><td></td><td colspan=\"").append(lanes.size() + 2).append("\">... ")
            .append(esc(f.summary()));
        if (f.hidden().size() <= MAX_FOLD_ROWS) {
          h.append(" <button class=\"unfold\" data-fold=\"").append(esc(k)).append("\">show</button>");
        } else {
          h.append(" (too many to draw; <code>gmemsim replay --full</code> prints them)");
        }
        h.append("</td></tr>\n");
        if (f.hidden().size() <= MAX_FOLD_ROWS) {
          for (TraceLine l : f.hidden()) {
            row(h, t, lanes, l, folding.mark(l), id, " folded fold-" + k);
            rows++;
          }
        }
      }
    }
    h.append("</tbody></table>\n");
  }

  private static void row(
      StringBuilder h, ViolationTrace t, List<Integer> lanes, TraceLine l, Mark mark, String id,
      String extraClass) {
    int from = lanes.indexOf(t.lanes().indexOf(l.from()));
    int to = lanes.indexOf(t.lanes().indexOf(l.to()));
    int lo = Math.min(from, to);
    int hi = Math.max(from, to);
    String cls = mark.name().toLowerCase() + extraClass;
    h.append("<tr class=\"step ").append(cls).append("\" data-step=\"").append(l.step()).append('"');
    if (mark == Mark.FOCUS) h.append(" id=\"focus-").append(esc(id)).append('"');
    h.append("><td class=\"n\">").append(mark == Mark.OTHER ? "" : esc(mark.text.trim())).append(' ')
        .append(l.step()).append("</td>");
    for (int c = 0; c < lo; c++) h.append("<td class=\"lane\"></td>");
    String label = esc(l.kernelStep());
    if (from == to) {
      h.append("<td class=\"lane self\"><div class=\"loop\">").append(label).append("</div></td>");
    } else {
      h.append("<td class=\"arrow ").append(from < to ? "ltr" : "rtl").append("\" colspan=\"")
          .append(hi - lo + 1).append("\"><div class=\"a\"><span>").append(label).append("</span></div></td>");
    }
    for (int c = hi + 1; c < lanes.size(); c++) h.append("<td class=\"lane\"></td>");
    h.append("<td class=\"what\"><code>").append(esc(l.call())).append("</code>");
    if (!l.changes().isEmpty()) h.append(" -&gt; ").append(esc(String.join("; ", l.changes())));
    h.append("</td><td class=\"src\">");
    // Kernel source beside its step, as the text trace lists it above: a reply has none of its own.
    if (!l.source().isEmpty() && !l.kernelStep().equals("return")) {
      if (!l.caller().isEmpty()) h.append("<span class=\"fn\">").append(esc(l.caller())).append("()</span> ");
      h.append("<code>").append(esc(l.source())).append("</code>");
    }
    h.append("</td></tr>\n");
    for (Violation v : l.fired()) {
      h.append("<tr class=\"fired").append(extraClass).append("\"><td></td><td colspan=\"").append(lanes.size() + 2)
          .append("\">!! ").append(esc(v.oracle())).append(": ").append(esc(v.message())).append("</td></tr>\n");
    }
  }

  private static void knobs(StringBuilder h, Page p) {
    h.append("<h2 id=\"knobs\">Knobs</h2>\n<p>Those that differ from the defaults are marked.</p>\n<table class=\"knobs\">\n");
    List<String> keys = new ArrayList<>(p.knobs().keySet());
    keys.sort((a, b) -> Boolean.compare(!p.changed().contains(a), !p.changed().contains(b)));
    for (String k : keys) {
      boolean ch = p.changed().contains(k);
      h.append("<tr").append(ch ? " class=\"changed\"" : "").append("><td><code>").append(esc(k))
          .append("</code></td><td><code>").append(esc(Objects.toString(p.knobs().get(k))))
          .append("</code></td></tr>\n");
    }
    h.append("</table>\n");
  }

  /** An id for a section: its oracles (several when they fired in one run) joined by '+'. */
  private static String anchor(Section s) {
    return s.oracle().replaceAll("[^a-z0-9-]+", "+");
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource gmemsim/report/" + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read resource gmemsim/report/" + name, e);
    }
  }
}
