package gmemsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract of DESIGN §7, run in-process. */
class CliTest {
  private static final String SCENARIO = Path.of("..", "scenarios", "split-vs-tryget.conf").toString();
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream oldOut;
  private PrintStream oldErr;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void runFindsTheRaceWritesTheSummaryAndTheReplayReproducesIt() throws IOException {
    Path o = dir.resolve("a");
    int rc = Main.execute("run", SCENARIO, "--seed", "1", "--budget", "3000runs", "--out", o.toString(), "--quiet");
    assertEquals(0, rc, out());
    JsonNode sum = new ObjectMapper().readTree(o.resolve("summary.json").toFile());
    for (String f : List.of("scenario", "knobs", "seed", "strategy", "runtime", "nodes", "runs", "steps", "elapsedMs", "stepsPerSec", "outcome", "oracles")) {
      assertTrue(sum.has(f), "summary.json lacks " + f);
    }
    assertEquals("match", sum.get("outcome").asText());
    assertEquals(3000, sum.get("runs").asLong());
    JsonNode w = sum.get("oracles").get("refcount-error");
    for (String f : List.of("count", "firstRun", "firstStep", "timeToFirstMs", "replayFile")) {
      assertTrue(w.has(f), "oracle entry lacks " + f);
    }
    Path replay = Path.of(w.get("replayFile").asText());
    assertTrue(Files.exists(replay));

    out.reset();
    assertEquals(0, Main.execute("replay", replay.toString()), out());
    String trace = out();
    assertTrue(trace.contains("reproduced: refcount-error at step " + w.get("firstStep").asLong()), trace);
    // The split lands between the taker's page_folio and its folio_try_get: the violating
    // actor's page_folio comes before the freeze, its folio_try_get after the unfreeze.
    String actor = w.get("actors").get(0).asText();
    int pageFolio = trace.indexOf(actor + "    -> mem0    page_folio");
    int freeze = trace.indexOf("folio_ref_freeze");
    int tryGet = trace.lastIndexOf(actor + "    -> mem0    folio_try_get");
    int unfreeze = trace.lastIndexOf("folio_ref_unfreeze");
    assertTrue(pageFolio >= 0 && pageFolio < freeze && unfreeze < tryGet, trace);
    assertTrue(Files.size(o.resolve("report.html")) > 10_000, "no report.html");

    out.reset();
    assertEquals(0, Main.execute("replay", replay.toString(), "--format", "text"), out());
    String mail = out();
    for (String line : mail.split("\n")) {
      if (line.startsWith("  ./gmemsim replay ")) continue; // a command is never wrapped
      assertTrue(line.length() <= 78, "longer than a mail line: " + line);
    }
    assertTrue(mail.contains(">>" + w.get("firstStep").asLong() + " ") || mail.contains(">> " + w.get("firstStep").asLong()), mail);
    assertTrue(mail.contains("ghost state right after step " + w.get("firstStep").asLong()), mail);
    assertTrue(mail.contains("replay:\n  ./gmemsim replay " + replay), mail);
  }

  @Test
  void benchPrintsTheTableAndWritesJsonWhoseFiguresMatchTheSeeds() throws IOException {
    Path o = dir.resolve("bench");
    int rc =
        Main.execute(
            "bench", SCENARIO, "--seeds", "1..3", "--strategy", "pct", "--budget", "3000runs", "--out", o.toString(), "--quiet");
    assertEquals(0, rc, out());
    assertTrue(out().contains("| strategy | seeds | found | runs to first: median |"), out());
    JsonNode b = new ObjectMapper().readTree(o.resolve("bench.json").toFile());
    assertEquals("refcount-error", b.get("oracle").asText());
    assertEquals(3, b.get("seeds").size());
    JsonNode row = b.get("strategies").get(0);
    assertEquals("pct", row.get("strategy").asText());
    // Every seed's runs-to-first must equal what a plain run with that seed reports.
    JsonNode seed2 = b.get("seeds").get(1);
    out.reset();
    Main.execute("run", SCENARIO, "--seed", "2", "--budget", "3000runs", "--quiet", "--out", dir.resolve("s2").toString());
    JsonNode sum = new ObjectMapper().readTree(dir.resolve("s2").resolve("summary.json").toFile());
    assertEquals(sum.get("oracles").get("refcount-error").get("runsToFirst").asLong(), seed2.get("runsToFirst").asLong());
  }

  @Test
  void progressLinesWhenNotATerminal() {
    ProgressDisplay p =
        ProgressDisplay.forHunt(ProgressDisplay.Mode.LINES, "x", gmemsim.scenario.Budget.parse("30s"));
    p.update(1_000, 9_000_000, 6_000, 2);
    p.update(1_100, 9_900_000, 7_000, 2); // within 5 s of the last line: no new line
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.contains("gmemsim: 6.0s, 1,000 runs, 1.5 M steps/s, 2 oracle(s) fired, about 24s left"), e);
    assertEquals(1, e.lines().count(), e);
  }

  @Test
  void aReplayFromBeforeKernelSourceIsRefusedSayingWhy() throws IOException {
    // The fields a format-1 file had: its schedule names Java step machines' messages.
    Path old = dir.resolve("old.json");
    java.nio.file.Files.writeString(old, "{\"format\": \"gmemsim-replay/1\", \"scenario\": \"split-vs-tryget\", \"seed\": 7,"
        + " \"run\": 21, \"knobs\": {}, \"schedule\": [\"taker0#0\"]}");
    assertEquals(2, Main.execute("replay", old.toString()));
    assertTrue(err().contains("old.json: not a readable replay file: recorded by a gmemsim whose kernel paths were Java step"
        + " machines (format gmemsim-replay/1)"), err());
    assertTrue(err().contains("hunt again with --seed 7 (it was run 21)"), err());
  }

  @Test
  void theFixedVariantIsCleanWhenCleanIsExpected() {
    int rc = Main.execute("run", SCENARIO, "--variant", "mainline", "--budget", "1500runs", "--out", dir.resolve("b").toString(),
        "--quiet");
    assertEquals(0, rc, out());
    assertTrue(out().contains("no oracle fired"));
    // The posted and the fixed variant in one command, one table; a variant that does not exist is bad input.
    out.reset();
    rc = Main.execute("run", SCENARIO, "--variants", "--budget", "3000runs", "--seed", "1", "--out", dir.resolve("v").toString(),
        "--quiet");
    assertEquals(0, rc, out());
    assertTrue(out().matches("(?s).*split-vs-tryget +rfc-2024 +refcount-error \\(\\d+\\).*matches expect.*"), out());
    assertTrue(out().matches("(?s).*split-vs-tryget +mainline +nothing .*matches expect.*"), out());
    assertTrue(out().matches("(?s).*split-vs-tryget +split-without-freeze +refcount-error \\(\\d+\\).*matches expect.*"), out());
    assertEquals(2, Main.execute("run", SCENARIO, "--variant", "mainlin", "--budget", "1runs", "--quiet"));
    assertTrue(err().contains("no variant 'mainlin' in variants; the variants are [rfc-2024, mainline, recheck-before-get,"
            + " split-without-freeze]; did you mean 'mainline'?"),
        err());
  }

  @Test
  void aClusterSearchesAPlainSearchOnlyAndSaysWhy() {
    String dfs = Path.of("..", "scenarios", "split-vs-tryget-dfs.conf").toString();
    assertEquals(2, Main.execute("cluster", dfs, "--nodes", "2", "--set", "run.shard=1/2", "--quiet"));
    assertTrue(err().contains("run.shard: a cluster searches the whole of a plain search in pieces"), err());
    assertEquals(2, Main.execute("cluster", dfs, "--nodes", "2", "--placement", "spread", "--quiet"));
    assertTrue(err().contains("dfs on a cluster runs with --placement local and the controlled runtime"), err());
    assertEquals(2, Main.execute("cluster", dfs, "--nodes", "2", "--estimate", "100", "--quiet"));
    assertTrue(err().contains("run.dfs-estimate: a cluster searches the whole of a plain search"), err());
  }

  @Test
  void aSearchCutShortPrintsAResumeCommandThatGoesOnAsPrinted() {
    String dfs = Path.of("..", "scenarios", "split-vs-tryget-dfs.conf").toString();
    assertEquals(0, Main.execute("run", dfs, "--variant", "mainline", "--preemption-bound", "3", "--set", "run.dfs-data=seed",
        "--budget", "500runs", "--quiet", "--out", dir.resolve("cut").toString()));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("to go on from where the search stopped \\(500 runs so far\\):"
        + " \\./gmemsim (.*)").matcher(out());
    assertTrue(m.find(), out());
    List<String> args = new java.util.ArrayList<>(List.of(m.group(1).strip().split(" ")));
    // The printed command, with a budget and a folder of its own.
    args.addAll(List.of("--budget", "300runs", "--quiet", "--out", dir.resolve("more").toString()));
    assertTrue(args.contains("run.dfs-data=seed") && args.contains("run.preemption-bound=3"), args.toString());
    out.reset();
    assertEquals(0, Main.execute(args.toArray(new String[0])), err());
    assertTrue(out().contains("to go on from where the search stopped (800 runs so far)"), out());
    // Under other keys the frontier is refused, naming the key that differs.
    assertEquals(2, Main.execute("run", dfs, "--variant", "mainline", "--preemption-bound", "3", "--resume",
        dir.resolve("cut").resolve("mainline").resolve("frontier.json").toString(), "--quiet"));
    assertTrue(err().contains("was searched with other scenario keys (run.dfs-data is search here)"), err());
  }

  @Test
  void anEstimateOfASamplingHuntIsRefusedNamingTheOption() {
    String sv = Path.of("..", "scenarios", "split-vs-tryget.conf").toString();
    assertEquals(2, Main.execute("run", sv, "--strategy", "pct", "--estimate", "100", "--quiet"));
    assertTrue(err().contains("run.dfs-estimate: only run.strategy = dfs has a search to estimate"), err());
  }

  @Test
  void aCleanHuntPrintsCoverageAndStopsOnceConfidentOrSaysTheBudgetRanOut() throws IOException {
    String fvph = Path.of("..", "scenarios", "fault-vs-punch-hole.conf").toString();
    int rc = Main.execute("run", fvph, "--until-confidence", "0.99", "--budget", "60s",
        "--out", dir.resolve("conf").toString(), "--progress", "none");
    assertEquals(0, rc, out());
    assertTrue(out().matches("(?s).*--until-confidence 0.99: reached after [\\d,]+ runs.*"), out());
    assertTrue(out().contains("mmu_invalidate_retry_gfn_unsafe -> no retry in"), out());
    JsonNode sum = new ObjectMapper().readTree(dir.resolve("conf").resolve("summary.json").toFile());
    // The rate to reach is the rarest known-bad variant's of the same file, measured first.
    assertTrue(sum.get("confidence").get("familyFoundProbability").asDouble() >= 0.99, sum.toString());
    assertTrue(sum.get("confidence").get("cleanUpperBound").asDouble() > 0, sum.toString());
    assertTrue(sum.get("coverage").get("windows").size() > 0, sum.toString());
    // Item 4: the clean hunt's sample run (the one that opened the most windows) replays as one.
    assertTrue(out().contains("sample clean run (run "), out());
    out.reset();
    assertEquals(0, Main.execute("replay", dir.resolve("conf").resolve("replays").resolve("sample.json").toString()));
    assertTrue(out().contains("reproduced: the sample clean run"), out());
    rc = Main.execute("run", fvph, "--until-confidence", "0.99", "--budget", "200runs",
        "--out", dir.resolve("conf2").toString(), "--progress", "none");
    assertTrue(out().contains("--until-confidence 0.99: NOT reached: the budget ran out after 200 of the"), out());
  }

  @Test
  void theTextReplayOpensWithTheRaceInBriefInAHundredLinesAndMergesRepliesIntoTheirCalls() throws IOException {
    Path o = dir.resolve("brief");
    Main.execute("run", SCENARIO, "--seed", "1", "--budget", "3000runs", "--stop-at-first", "--quiet", "--out", o.toString());
    out.reset();
    assertEquals(0, Main.execute("replay", o.resolve("replays").resolve("refcount-error.json").toString(), "--format", "text"));
    String text = out();
    int start = text.indexOf("the race in brief");
    int end = text.indexOf("the whole run");
    assertTrue(start > 0 && end > start, text);
    String brief = text.substring(start, end);
    // Each step of kernel source comes with the line that sent it, so the brief is about twice its steps.
    assertTrue(brief.lines().count() <= 100, brief.lines().count() + " lines:\n" + brief);
    assertTrue(brief.contains("patches/seed-004-folio-try-get.c:12: if (!folio_try_get(folio))"), brief);
    assertTrue(brief.contains(">>") && brief.contains("!! refcount-error"), brief);
    String whole = text.substring(end);
    assertTrue(whole.contains("=> return 0x100c"), "a reply merged into its call, in hex");
    assertTrue(!whole.contains("return(value="), "no separate reply lines");
    assertTrue(!whole.contains("=false") && !whole.contains("=null"), "no empty arguments");
  }

  @Test
  void aReplaySaysWhatFailedBeforeTheFirstStepAndWhereInKernelSource() {
    Path o = dir.resolve("abi");
    Main.execute("run", "../scenarios/guest-memfd-abi.conf", "--seed", "1", "--budget", "5runs", "--quiet", "--out", o.toString());
    out.reset();
    assertEquals(0, Main.execute("replay", o.resolve("replays").resolve("sample.json").toString(), "--format", "text"));
    String text = out().replaceAll("\\s+", " "); // lines are wrapped at mail width
    int start = text.indexOf("before the first step:");
    assertTrue(start > 0 && start < text.indexOf("kernel step -> what it changed"), text);
    // The selftest's create of size 1: kvm_gmem_create()'s size check, named by its line.
    assertTrue(text.matches("(?s).*kvm_gmem_create\\(\\) returns -EINVAL at virt/kvm/guest_memfd\\.c:\\d+: return -EINVAL.*"), text);
    assertTrue(text.contains("ksys_read() returns -EINVAL at fs/read_write.c:"), text);
  }

  @Test
  void aMismatchExitsOne() {
    int rc =
        Main.execute("run", SCENARIO, "--set", "expect.clean=true", "--seed", "1", "--budget", "3000runs",
            "--out", dir.resolve("c").toString(), "--quiet");
    assertEquals(1, rc, out());
  }

  @Test
  void badInputExitsTwoWithFileLineAndSuggestion() throws IOException {
    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "scenario.description = x\nkvm.try-get-pfnn = folio-try-get\n");
    assertEquals(2, Main.execute("run", bad.toString()));
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.contains(bad + ":2: unknown key 'kvm.try-get-pfnn'; did you mean 'kvm.try-get-pfn'"), e);
    assertEquals(2, Main.execute("run", SCENARIO, "--budget", "lots"));
    assertEquals(2, Main.execute("run", SCENARIO, "--strategy", "bfs"));
    // Runtimes come from one registry; options only the other runtime reads are refused, not ignored.
    err.reset();
    assertEquals(2, Main.execute("run", SCENARIO, "--runtime", "threads"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--runtime threads: not one of [controlled, akka]"));
    err.reset();
    assertEquals(2, Main.execute("run", SCENARIO, "--nodes", "2", "--budget", "1runs"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("only with --runtime akka"));
    err.reset();
    assertEquals(2, Main.execute("bench", SCENARIO, "--runtime", "akka", "--strategy", "pct", "--budget", "1runs"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--strategy pct: only with --runtime controlled"));
    err.reset();
    // A scenario whose strategy is dfs is a search of the controlled runtime's schedules.
    assertEquals(2, Main.execute("run", Path.of("..", "scenarios", "split-vs-tryget-dfs.conf").toString(), "--runtime", "akka"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("run.strategy: dfs searches the schedules of the controlled runtime"),
        err.toString(StandardCharsets.UTF_8));
    assertEquals(2, Main.execute("run", SCENARIO, "--no-such-option"));
    Path notJson = dir.resolve("r.json");
    Files.writeString(notJson, "{not json");
    assertEquals(2, Main.execute("replay", notJson.toString()));
    // A replay file cut off mid-way: where it ends, no Jackson internals.
    Path cut = dir.resolve("cut.json");
    Files.writeString(cut, "{\n  \"scenario\" : \"split-vs-tryget\",\n  \"knobs\" : {\n    \"folio.order\" : \"4");
    err.reset();
    assertEquals(2, Main.execute("replay", cut.toString()));
    String c = err.toString(StandardCharsets.UTF_8);
    assertTrue(c.contains(cut + ":4:") && c.contains("the file ends early"), c);
    assertTrue(!c.contains("reference chain") && !c.contains("StreamReadFeature"), c);
    // A --set of the wrong type says what was expected, once.
    err.reset();
    assertEquals(2, Main.execute("run", SCENARIO, "--set", "folio.order=nine", "--budget", "1runs"));
    String t = err.toString(StandardCharsets.UTF_8);
    assertTrue(t.contains("--set folio.order=nine: folio.order: expected a whole number in [0, 10], got \"nine\""), t);
    assertEquals(1, t.split("folio.order=nine", -1).length - 1, t);
  }

  @Test
  void listShowsKnobsOraclesAndStrategies() {
    assertEquals(0, Main.execute("list"));
    String s = out();
    assertTrue(s.contains("kvm.try-get-pfn = folio-try-get-recheck"), s);
    assertTrue(s.contains("get-page-unless-zero | folio-try-get | folio-try-get-recheck"), s);
    assertTrue(s.contains("refcount-error"), s);
    assertTrue(s.contains("random, pct"), s);
    assertTrue(s.contains("akka") && s.contains("every component an actor"), s);
  }

  @Test
  void aKnobNoActorReadsIsBadInputNamingItsOrigin() throws IOException {
    String tdx = Path.of("..", "scenarios", "tdx-punch-hole-huge.conf").toString();
    assertEquals(2, Main.execute("run", tdx, "--set", "gmem.temp-restore=unlocked", "--budget", "1runs", "--quiet"));
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.contains("--set gmem.temp-restore=unlocked: gmem.temp-restore") && e.contains("no actor of this scenario reads it"), e);
    // The same knob in the file is blamed on its line.
    Path f = dir.resolve("silent.conf");
    Files.writeString(f, Files.readString(Path.of(tdx)) + "\ndirect-map.flush = none\n");
    err.reset();
    assertEquals(2, Main.execute("run", f.toString(), "--budget", "1runs", "--quiet"));
    String l = err.toString(StandardCharsets.UTF_8);
    assertTrue(l.matches("(?s).*" + java.util.regex.Pattern.quote(f.toString()) + ":\\d+: direct-map.flush: no actor.*"), l);
    // A knob the scenario's actors do read is accepted.
    assertEquals(0, Main.execute("run", tdx, "--set", "tdx.punch-hole-split=rfc-v2", "--budget", "2runs", "--quiet",
        "--out", dir.resolve("ok").toString()));
  }
}
