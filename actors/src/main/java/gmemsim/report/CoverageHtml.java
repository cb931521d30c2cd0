package gmemsim.report;

import gmemsim.runtime.Coverage;
import gmemsim.runtime.Timeline;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The coverage section of report.html (issue 14): the decided outcomes and the race windows as
 * tables, and two inline SVG pictures that need nothing online: the windows a run opened over the
 * hunt, and each oracle's hits over the hunt.
 */
public final class CoverageHtml {
  private static final int W = 560;
  private static final int H = 140;
  private static final int PAD = 36;
  private static final String[] COLOURS = {"#c0392b", "#2471a3", "#1e8449", "#b9770e", "#7d3c98", "#566573"};
  private static final int TOP_WINDOWS = 20;

  private CoverageHtml() {}

  public static String render(Coverage c, List<String> expectedWindows, String confidence) {
    StringBuilder h = new StringBuilder();
    h.append("<h2 id=\"coverage\">Coverage</h2>\n<p class=\"coverage-sum\">")
        .append(String.format(Locale.ROOT, "%,d runs; %,d kinds of step; %,d race windows opened", c.runs(),
            c.outcomes().size(), c.windows().size()))
        .append("</p>\n");
    if (confidence != null) h.append("<p class=\"confidence\">").append(HtmlReport.esc(confidence)).append("</p>\n");
    h.append("<table class=\"coverage\" id=\"coverage-outcomes\"><tr><th>step</th><th>outcome</th><th>runs</th></tr>\n");
    for (Map.Entry<String, Map<String, Long>> e : c.outcomes().entrySet()) {
      if (!c.declared(e.getKey())) continue;
      e.getValue().forEach((o, n) -> row(h, e.getKey(), o, Long.toString(n)));
    }
    c.neverSeen().forEach((step, missing) -> missing.forEach(o -> row(h, step, o, "never seen")));
    for (String path : c.neverRan()) row(h, path, "(the whole path)", "never ran");
    c.neverReached().forEach((path, points) -> points.forEach(pc -> row(h, path, "at " + pc, "never reached")));
    h.append("</table>\n");
    h.append("<table class=\"coverage\" id=\"coverage-windows\"><tr><th>window (this lane's steps)</th>"
        + "<th>another lane's step inside</th><th>runs</th></tr>\n");
    for (String w : expectedWindows) row(h, w + " (expect.windows)", "", Long.toString(c.windowRuns(w)));
    int shown = 0;
    for (Map.Entry<String, Long> e : c.windowList()) {
      if (shown++ == TOP_WINDOWS) break;
      int i = e.getKey().indexOf(" <- ");
      row(h, e.getKey().substring(0, i), e.getKey().substring(i + 4), Long.toString(e.getValue()));
    }
    h.append("</table>\n");
    Timeline t = c.timeline();
    h.append(chart("svg-windows", "race windows opened per run (mean of each " + t.width() + " runs)",
        Map.of("windows", t.windowsPerRun())));
    if (!t.cumulativeHits().isEmpty()) {
      Map<String, List<Double>> hits = new java.util.LinkedHashMap<>();
      t.cumulativeHits().forEach((o, l) -> hits.put(o, l.stream().map(Long::doubleValue).toList()));
      h.append(chart("svg-hits", "runs each oracle fired in, cumulated over the hunt", hits));
    }
    return h.toString();
  }

  private static void row(StringBuilder h, String a, String b, String n) {
    h.append("<tr><td>").append(HtmlReport.esc(a)).append("</td><td>").append(HtmlReport.esc(b))
        .append("</td><td class=\"n\">").append(HtmlReport.esc(n)).append("</td></tr>\n");
  }

  /** A line chart of series over the hunt's buckets, with its largest value on the axis. */
  static String chart(String id, String title, Map<String, List<Double>> series) {
    double max = 0;
    int points = 0;
    for (List<Double> s : series.values()) {
      for (double v : s) max = Math.max(max, v);
      points = Math.max(points, s.size());
    }
    if (max == 0) max = 1;
    StringBuilder h = new StringBuilder();
    h.append(String.format(Locale.ROOT, "<figure><svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n", id, W, H + 30, W, H + 30, HtmlReport.esc(title)));
    h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>%n", PAD, H, W - 8, H));
    h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"8\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>%n", PAD, PAD, H));
    h.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"16\" font-size=\"10\">%s</text>%n", fmt(max)));
    h.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%d\" font-size=\"10\">0</text>%n", H));
    h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\">runs -&gt;</text>%n", W - 60, H + 14));
    int k = 0;
    for (Map.Entry<String, List<Double>> s : series.entrySet()) {
      String colour = COLOURS[k % COLOURS.length];
      StringBuilder pts = new StringBuilder();
      List<Double> v = s.getValue();
      for (int i = 0; i < v.size(); i++) {
        double x = PAD + (W - 8 - PAD) * (points <= 1 ? 0 : i / (double) (points - 1));
        double y = H - (H - 8) * (v.get(i) / max);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      h.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
          .append(pts.toString().trim()).append("\"/>\n");
      h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"%s\">%s</text>%n",
          PAD + 8 + 130 * k, H + 26, colour, HtmlReport.esc(s.getKey())));
      k++;
    }
    h.append("</svg><figcaption>").append(HtmlReport.esc(title)).append("</figcaption></figure>\n");
    return h.toString();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
