package gmemsim.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes bench/RESULTS.md from the outputs of one {@code bench/run-all.sh}: JMH's JSON, the
 * {@code gmemsim bench} JSON and the summary.json of the one-node and three-node Akka runs. Each
 * target of issue 6 is judged here from those figures, so the page cannot drift from the run.
 *
 * <p>usage: WriteResults OUT_DIR RESULTS.md NOTES.md COMMAND...
 */
public final class WriteResults {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One target: a figure from the run against the goal the issue set. */
  record Target(String what, String goal, double measured, double bound, boolean atLeast, String unit, String source) {
    boolean met() {
      return atLeast ? measured >= bound : measured <= bound;
    }

    String margin() {
      if (Double.isNaN(measured)) return "not measured";
      double pct = (measured - bound) / bound * 100;
      return String.format(Locale.ROOT, "%s by %.0f%%", met() ? "met" : "MISSED", Math.abs(pct));
    }
  }

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Path results = Path.of(args[1]);
    Path notes = Path.of(args[2]);
    String command = String.join(" ", List.of(args).subList(3, args.length));
    JsonNode jmh = JSON.readTree(out.resolve("jmh.json").toFile());
    JsonNode ttf = JSON.readTree(out.resolve("ttf").resolve("bench.json").toFile());
    JsonNode akka1 = JSON.readTree(out.resolve("akka1").resolve("summary.json").toFile());
    JsonNode akka3 = JSON.readTree(out.resolve("akka3").resolve("summary.json").toFile());
    JsonNode akka3Remote = JSON.readTree(out.resolve("akka3-remote").resolve("summary.json").toFile());
    JsonNode akka1Free = JSON.readTree(out.resolve("akka1-nopreempt").resolve("summary.json").toFile());

    double controlled = jmhSteps(jmh, "split-vs-tryget", "pct");
    JsonNode pct = strategy(ttf, "pct");
    double median = pct == null || pct.get("medianSeconds").isNull() ? Double.NaN : pct.get("medianSeconds").asDouble();
    List<Target> targets = List.of(
        new Target("controlled runtime on split-vs-tryget (pct)", ">= 3 M steps/s", controlled, 3e6, true,
            "steps/s", "JMH ControlledRunBench.run, scenario split-vs-tryget, strategy pct"),
        new Target("akka runtime, one node", ">= 1 M steps/s", akka1.get("stepsPerSec").asDouble(), 1e6, true,
            "steps/s", "gmemsim run --runtime akka, summary.json stepsPerSec"),
        new Target("akka runtime, one node, injected preemption off (faults.preempt-rate=0)", ">= 1 M steps/s",
            akka1Free.get("stepsPerSec").asDouble(), 1e6, true, "steps/s",
            "gmemsim run --runtime akka --set faults.preempt-rate=0, summary.json stepsPerSec"),
        new Target("akka runtime, 3 nodes on loopback", ">= 50 k steps/s", akka3.get("stepsPerSec").asDouble(), 5e4,
            true, "steps/s", "gmemsim cluster --nodes 3 (cluster-config/loopback.conf), summary.json stepsPerSec"),
        new Target("akka runtime, 3 nodes on loopback, every step crossing nodes", ">= 50 k steps/s",
            akka3Remote.get("stepsPerSec").asDouble(), 5e4, true, "steps/s",
            "gmemsim cluster --nodes 3 --cluster-config cluster-config/loopback-all-remote.conf"),
        new Target("median time to the first refcount-error of split-vs-tryget (pct, seeds 1..20, one JVM)", "<= 1 s", median, 1.0,
            false, "s", "gmemsim bench, pct row"),
        new Target("the same, a fresh JVM per seed (JIT warm-up in every seed)", "<= 1 s", coldMedianSeconds(out),
            1.0, false, "s", "bench/time-to-first.sh, pct median"));

    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n")
        .append("Written by `bench/run-all.sh` from one run; do not edit by hand (the analysis below comes from\n")
        .append("`bench/notes.md`).\n\n");
    JsonNode m = ttf.get("machine");
    md.append("- when: ").append(ttf.get("when").asText()).append('\n')
        .append("- machine: ").append(text(m, "cpu")).append(", ").append(m.get("cores").asInt())
        .append(" cores visible to the JVM, ").append(text(m, "os")).append(", ").append(text(m, "jvm")).append('\n')
        .append("- command: `").append(command).append("`\n\n");
    md.append("## Targets (issue 6)\n\n| target | goal | measured | verdict | from |\n|---|---|---|---|---|\n");
    for (Target t : targets) {
      md.append("| ").append(t.what()).append(" | ").append(t.goal()).append(" | ")
          .append(figure(t.measured(), t.unit())).append(" | ").append(t.margin()).append(" | ")
          .append(t.source()).append(" |\n");
    }
    md.append("\n## Time to the first violation (`gmemsim bench`)\n\n");
    md.append(Files.readString(out.resolve("ttf").resolve("bench.md")));
    Path cold = out.resolve("cold.txt");
    if (Files.isRegularFile(cold)) {
      md.append("\nThe same for pct with a fresh JVM per seed (`bench/time-to-first.sh`, JIT warm-up in every seed;\n")
          .append("999999999 would mean not found):\n\n```\n");
      List<String> lines = Files.readAllLines(cold);
      md.append(lines.get(lines.size() - 1)).append("\n```\n");
    }
    md.append("\n## Akka runs\n\n| run | runs | steps | seconds | steps/s | runs/s | oracles fired | cross-node messages |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    akkaRow(md, "one node (embedded)", akka1);
    akkaRow(md, "one node, preemption off", akka1Free);
    akkaRow(md, "3 nodes on loopback (loopback.conf)", akka3);
    akkaRow(md, "3 nodes, every step crossing (loopback-all-remote.conf)", akka3Remote);
    md.append("\n## JMH: the controlled runtime, one op = one whole run\n\n")
        .append("| scenario | strategy | coverage | runs/s | steps/s |\n|---|---|---|---|---|\n");
    List<String> component = new ArrayList<>();
    for (JsonNode b : jmh) {
      String name = b.get("benchmark").asText().replace("gmemsim.bench.", "");
      JsonNode p = b.path("params");
      if (b.path("secondaryMetrics").has("steps")) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %,.0f |%n",
            p.path("scenario").asText(), p.path("strategy").asText(), p.path("coverage").asText("on"),
            b.get("primaryMetric").get("score").asDouble(),
            b.get("secondaryMetrics").get("steps").get("score").asDouble()));
      } else {
        component.add(String.format(Locale.ROOT, "| %s | %s | %.1f ± %.1f %s |",
            name, p.isMissingNode() ? "" : p.toString().replaceAll("[{}\"]", ""),
            b.get("primaryMetric").get("score").asDouble(), b.get("primaryMetric").get("scoreError").asDouble(),
            b.get("primaryMetric").get("scoreUnit").asText()));
      }
    }
    md.append("\n## JMH: one component handling one message, no runtime\n\n")
        .append("| benchmark | params | cost |\n|---|---|---|\n");
    component.forEach(l -> md.append(l).append('\n'));
    if (Files.isRegularFile(notes)) md.append('\n').append(Files.readString(notes));
    // Sections other scripts write between markers (scale-out.sh, spread-first.sh) are theirs: keep them.
    if (Files.isRegularFile(results)) {
      java.util.regex.Matcher kept = java.util.regex.Pattern
          .compile("<!-- ([a-z-]+):begin -->.*?<!-- \\1:end -->", java.util.regex.Pattern.DOTALL)
          .matcher(Files.readString(results));
      while (kept.find()) md.append('\n').append(kept.group()).append('\n');
    }
    Files.writeString(results, md.toString());
  }

  /** The median of time-to-first.sh's last line ("pct median over seeds A..B: R runs, M ms ..."). */
  private static double coldMedianSeconds(Path out) throws IOException {
    Path cold = out.resolve("cold.txt");
    if (!Files.isRegularFile(cold)) return Double.NaN;
    List<String> lines = Files.readAllLines(cold);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("runs, ([0-9.]+) ms").matcher(lines.get(lines.size() - 1));
    if (!m.find()) return Double.NaN;
    double ms = Double.parseDouble(m.group(1));
    return ms >= 999_999_999 ? Double.NaN : ms / 1000.0;
  }

  private static void akkaRow(StringBuilder md, String what, JsonNode s) {
    md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.1f | %,d | %,d | %s | %,d |%n",
        what, s.get("runs").asLong(), s.get("steps").asLong(), s.get("elapsedMs").asLong() / 1000.0,
        s.get("stepsPerSec").asLong(), s.get("runsPerSec").asLong(),
        String.join(", ", iterable(s.get("oracles").fieldNames())), s.path("crossNodeMessages").asLong()));
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l.isEmpty() ? List.of("none") : l;
  }

  private static double jmhSteps(JsonNode jmh, String scenario, String strategy) {
    for (JsonNode b : jmh) {
      JsonNode p = b.path("params");
      // The target is for a hunt as users run it: coverage on (the default).
      if (p.path("scenario").asText().contains(scenario)
          && p.path("strategy").asText().equals(strategy)
          && p.path("coverage").asText("on").equals("on")
          && b.path("secondaryMetrics").has("steps")) {
        return b.get("secondaryMetrics").get("steps").get("score").asDouble();
      }
    }
    return Double.NaN;
  }

  private static JsonNode strategy(JsonNode ttf, String name) {
    for (JsonNode r : ttf.get("strategies")) if (r.get("strategy").asText().equals(name)) return r;
    return null;
  }

  private static String text(JsonNode n, String field) {
    return n.has(field) ? n.get(field).asText() : "unknown";
  }

  private static String figure(double v, String unit) {
    if (Double.isNaN(v)) return "not measured";
    if (unit.equals("s")) return String.format(Locale.ROOT, "%.2f s", v);
    return String.format(Locale.ROOT, "%,.0f %s", v, unit);
  }
}
