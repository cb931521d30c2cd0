package gmemsim.runtime.dfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.oracle.Oracles;
import gmemsim.runtime.Envelope;
import gmemsim.runtime.Finding;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.ReplayStrategy;
import gmemsim.runtime.RunResult;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exhaustive search: what it finds, what it verifies, and that its findings replay. */
class ExhaustiveTest {
  private static final Path SCENARIO = Path.of("..", "scenarios", "split-vs-tryget-dfs.conf");

  private static Scenario load(String variant, String... sets) {
    return new ScenarioLoader(Oracles.names()).load(SCENARIO, variant, List.of(sets));
  }

  private static HuntResult search(Scenario s) {
    return Hunt.run(s, new Hunt.Options(1, "dfs", 3, Budget.parse("2000000runs"), 1_000_000), null);
  }

  @Test
  void thePostedGetIsFoundAtTwoPreemptionsAndItsFindingReplays() {
    Scenario s = load("rfc-2024");
    HuntResult r = search(s);
    assertTrue(r.verification().finished(), "the bound-2 search ends");
    Finding f = r.findings().get("refcount-error");
    assertTrue(f != null, "refcount-error found: " + r.findings().keySet());
    // The page the guest touched is a choice of the search, recorded in the schedule.
    assertTrue(java.util.Arrays.stream(f.schedule()).anyMatch(Envelope::isChoice), "a data choice in the schedule");
    RunResult again = Hunt.runOnce(s, f.firstRunSeed(), new ReplayStrategy(f.schedule()), 1_000_000, null);
    assertEquals(f.first(), again.violations().get(0));
    assertTrue(r.verification().statement(true).contains("oracles fired"));
  }

  @Test
  void withTheSeedsDataTheSearchIsOverSchedulesAloneAndSaysSo() {
    HuntResult all = search(load("mainline"));
    HuntResult seeded = search(load("mainline", "run.dfs-data=seed"));
    assertTrue(seeded.verification().finished());
    // The page the guest touches is no point of the search: no choice entry, and fewer runs.
    assertTrue(seeded.runs() < all.runs(), seeded.runs() + " runs against " + all.runs());
    String line = seeded.verification().statement(false);
    assertTrue(line.startsWith("verified up to 2 preemptions") && line.contains("only for the data seed 1 draws"), line);
    assertFalse(all.verification().statement(false).contains("only for the data"));
  }

  @Test
  void oneCannotReachIt() {
    HuntResult r = search(load("rfc-2024", "run.preemption-bound=1"));
    assertTrue(r.verification().finished());
    assertTrue(r.findings().isEmpty(), "bound 1 is too few for the race: " + r.findings().keySet());
    assertTrue(r.verification().statement(false).startsWith("verified up to 1 preemption:"), r.verification().statement(false));
  }

  @Test
  void mainlineIsVerifiedAtTwoAndTheSearchIsDeterministic() {
    HuntResult a = search(load("mainline"));
    HuntResult b = search(load("mainline"));
    assertTrue(a.findings().isEmpty(), a.findings().keySet().toString());
    assertTrue(a.verification().finished());
    assertEquals(0, a.verification().stepLimited());
    assertEquals(a.runs(), b.runs());
    assertEquals(a.steps(), b.steps());
    assertTrue(a.verification().statement(false).startsWith("verified up to 2 preemptions:"));
  }

  @Test
  void moreBoundMeansMoreSchedules() {
    long one = search(load("mainline", "run.preemption-bound=1")).runs();
    long two = search(load("mainline")).runs();
    assertTrue(one < two, one + " runs at bound 1, " + two + " at bound 2");
  }

  @Test
  void withoutABoundSleepSetsFinishASmallScenarioThatFullEnumerationDoesNot(@TempDir Path dir) throws IOException {
    Path tiny = dir.resolve("tiny.conf");
    Files.writeString(tiny, String.join("\n",
        "scenario.description = \"one fault against munmap\"",
        "folio.order = 1",
        "folio.count = 1",
        "actors = [",
        "  { name = taker0, kind = vcpu, program = [ { op = gup-fault } ] }",
        "  { name = owner0, kind = kthread, program = [ { op = munmap }, { op = put-folios } ] }",
        "]",
        "run.strategy = dfs",
        "expect.clean = true",
        ""));
    ScenarioLoader l = new ScenarioLoader(Oracles.names());
    HuntResult reduced = search(l.load(tiny, null, List.of()));
    assertTrue(reduced.verification().finished(), "sleep sets end the search");
    assertTrue(reduced.findings().isEmpty());
    assertTrue(reduced.verification().stopped() > 0, "some runs only repeat a class and are stopped");
    assertTrue(reduced.verification().statement(false).startsWith("verified: every interleaving ("));
    HuntResult full = Hunt.run(l.load(tiny, null, List.of("run.preemption-bound=1000")),
        new Hunt.Options(1, "dfs", 3, Budget.parse(reduced.runs() + "runs"), 1_000_000), null);
    assertFalse(full.verification().finished(), "every schedule is more than every class");
    assertNull(full.error());
    List<String> none = new ArrayList<>(full.findings().keySet());
    assertTrue(none.isEmpty(), none.toString());
  }

  @Test
  void aSearchCutByItsBudgetGoesOnFromItsFrontierToTheSameEnd(@TempDir Path dir) throws IOException {
    HuntResult whole = search(load("mainline"));
    HuntResult first = Hunt.run(load("mainline"), new Hunt.Options(1, "dfs", 3, Budget.parse("3000runs"), 1_000_000), null);
    assertFalse(first.verification().finished());
    Frontier f = first.verification().frontier();
    assertEquals(3000, f.runsBefore());
    Path file = dir.resolve("frontier.json");
    gmemsim.report.ReplayFile.JSON.writeValue(file.toFile(), f);
    HuntResult rest = search(load("mainline", "run.resume=\"" + file + "\""));
    assertTrue(rest.verification().finished());
    assertEquals(whole.runs(), first.runs() + rest.runs(), "the two halves make the runs of the whole search");
    assertEquals(whole.verification().complete(), rest.verification().complete());
    // A frontier of another configuration is refused.
    gmemsim.scenario.ScenarioException e = org.junit.jupiter.api.Assertions.assertThrows(gmemsim.scenario.ScenarioException.class,
        () -> search(load("mainline", "run.resume=\"" + file + "\"", "run.preemption-bound=1")));
    assertTrue(e.getMessage().contains("was searched with other scenario keys"), e.getMessage());
  }

  @Test
  void theShardsOfASearchMakeExactlyItsRuns() {
    HuntResult whole = search(load("mainline"));
    long runs = 0;
    long complete = 0;
    for (int k = 1; k <= 3; k++) {
      HuntResult part = search(load("mainline", "run.shard=" + k + "/3"));
      assertTrue(part.verification().finished());
      assertTrue(part.verification().statement(false).startsWith("this shard of the search: verified up to 2 preemptions"));
      runs += part.runs();
      complete += part.verification().complete();
    }
    assertEquals(whole.runs(), runs);
    assertEquals(whole.verification().complete(), complete);
  }
}
