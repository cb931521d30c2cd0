package gmemsim.runtime.dfs;

import gmemsim.model.MachineBuilder;
import gmemsim.runtime.Coverage;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntBudget;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.RunResult;
import gmemsim.runtime.RunTally;
import gmemsim.runtime.Seeds;
import gmemsim.runtime.Verification;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import gmemsim.runtime.Finding;
import gmemsim.oracle.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The controlled runtime's exhaustive search (run.strategy = dfs): runs of one scenario under
 * {@link DfsStrategy} until every schedule it must explore was explored or the budget ends. Every
 * run uses the same run seed, so the model's own random choices (fault injection,
 * get_random_u32_below) are fixed and the search is over schedules alone; a finding replays from
 * its recorded schedule, as one of any other strategy does.
 */
public final class Exhaustive {
  private Exhaustive() {}

  public static HuntResult run(Scenario s, Hunt.Options o, Hunt.Progress progress) {
    int bound = s.intValue(Knobs.PREEMPTION_BOUND);
    Claim claim = claim(s);
    int probes = s.intValue(Knobs.DFS_ESTIMATE);
    if (probes > 0) return estimate(s, o, progress, bound, claim, probes);
    String knobs = searchKnobs(s);
    String kernel = gmemsim.model.exec.KernelSources.get().digest();
    Frontier from = resumeFrom(s, knobs, kernel);
    long runSeed = Seeds.runSeed(o.seed(), 0);
    RunTally tally = new RunTally(System.nanoTime(), s.bool(Knobs.COVERAGE) ? new Coverage() : null, progress);
    HuntBudget budget = new HuntBudget(o, Long.MAX_VALUE);
    Search search = new Search(s, o, claim, runSeed, tally, budget);
    String shard = "";
    DfsStrategy last;
    if (!s.string(Knobs.SHARD).isEmpty()) {
      int[] kn = shard(s, claim, from);
      int depth = s.intValue(Knobs.SHARD_DEPTH);
      List<DfsStrategy.Piece> pieces = pieces(s, o.seed(), o.maxSteps());
      int mine = 0;
      last = null;
      for (int i = kn[0] - 1; i < pieces.size() && search.error == null; i += kn[1]) {
        last = data(s, DfsStrategy.of(bound, claim, pieces.get(i)));
        mine++;
        boolean done = search.all(last);
        search.add(last);
        if (!done) break;
      }
      search.finished = search.error == null && (last == null || search.pieceDone);
      shard = String.format("shard %d of %d (%,d of the %,d pieces the search splits into at %d choice points)", kn[0], kn[1],
          mine, pieces.size(), depth);
    } else {
      last = data(s, from == null ? new DfsStrategy(bound, claim) : DfsStrategy.resume(bound, claim, from));
      search.finished = search.all(last);
      search.add(last);
    }
    int components = MachineBuilder.build(s).components().size();
    Verification.ClaimAnswer answer = claim == null ? null : new Verification.ClaimAnswer(
        claim.events().stream().map(Claim.Event::toString).toList(), last.reached(), search.witnessRun, search.consistent,
        last.mostMatched(), last.furthestState(), last.furthestEnd());
    Frontier left = search.finished || search.error != null || !shard.isEmpty() ? null
        : last.frontier(s.name(), kernel, knobs, (from == null ? 0 : from.runsBefore()) + tally.runs());
    Verification v = new Verification(search.finished, bound, search.complete, search.stopped, tally.truncated(),
        search.deepest, components, answer, left, shard, dataScope(s, o.seed()));
    return tally.result("dfs", o.seed(), 0, search.error, v, search.witness);
  }

  /**
   * run.dfs-estimate: random paths down the search's tree instead of the search, and Knuth's
   * estimate of its runs from them. Each probe is a real run, so what fires in one is a finding that
   * replays like any other.
   */
  private static HuntResult estimate(Scenario s, Hunt.Options o, Hunt.Progress progress, int bound, Claim claim, int probes) {
    for (gmemsim.scenario.Knob k : List.of(Knobs.SHARD, Knobs.RESUME)) {
      if (!s.string(k).isEmpty()) {
        throw new ScenarioException(s.where(k) + ": run.dfs-estimate estimates the whole search from its root; it takes no "
            + k.key());
      }
    }
    long runSeed = Seeds.runSeed(o.seed(), 0);
    RunTally tally = new RunTally(System.nanoTime(), s.bool(Knobs.COVERAGE) ? new Coverage() : null, progress);
    HuntBudget budget = new HuntBudget(o, Long.MAX_VALUE);
    // The walks draw from a generator of their own: the run seed still decides the model's draws.
    DfsStrategy d = data(s, DfsStrategy.prober(bound, claim, runSeed * 0x9E3779B97F4A7C15L + 1));
    String error = null;
    // The rate is taken over the second half of the probes: the first pay for the JIT's warm-up.
    long start = System.nanoTime();
    long half = 0;
    while (d.probes() < probes && budget.wants(tally.runs(), tally.ledger())) {
      if (half == 0 && d.probes() >= probes / 2 && d.probes() > 0) {
        half = d.probes();
        start = System.nanoTime();
      }
      RunResult r;
      try {
        r = Hunt.runOnce(s, runSeed, d, o.maxSteps(), null, tally.coverage());
      } catch (RuntimeException e) {
        error = "dfs probe " + tally.runs() + " failed: " + e.getMessage();
        break;
      }
      tally.add(runSeed, r, claim == null || d.runMadeClaim());
      d.nextRun();
    }
    double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
    long n = d.probes();
    Verification.Estimate e = new Verification.Estimate(n, d.meanWeight(),
        n < 2 ? Double.POSITIVE_INFINITY : 1.96 * Math.sqrt(d.weightVariance() / n), (n - half) / seconds, bound < 0);
    int components = MachineBuilder.build(s).components().size();
    Verification v = new Verification(false, bound, d.complete(), d.sleepBlocked(), tally.truncated(), d.deepest(), components,
        null, null, "", dataScope(s, o.seed()), e);
    return tally.result("dfs", o.seed(), 0, error, v, null);
  }

  /**
   * The pieces the search splits into at run.shard-depth choice points, in the order a whole
   * search would explore them: every node that is given the same scenario and seed makes the same.
   */
  public static List<DfsStrategy.Piece> pieces(Scenario s, long seed, long maxSteps) {
    DfsStrategy splitter = data(s, DfsStrategy.splitter(s.intValue(Knobs.PREEMPTION_BOUND), null, s.intValue(Knobs.SHARD_DEPTH)));
    long runSeed = Seeds.runSeed(seed, 0);
    do {
      Hunt.runOnce(s, runSeed, splitter, maxSteps, null);
    } while (splitter.nextRun());
    return splitter.pieces();
  }

  /**
   * What the search of one piece made: its runs and steps, its complete and stopped runs, and its
   * findings with run numbers counted from the piece's first run.
   *
   * @param finished the piece was searched to its end (not cut by its budget or an error)
   */
  public record PieceOutcome(long runs, long steps, long truncated, long complete, long stopped, int deepest,
      boolean finished, List<Finding> findings, String error) {}

  /** Searches one piece of a split under {@code budget} (what is left of the whole search's). */
  public static PieceOutcome searchPiece(Scenario s, long seed, long maxSteps, DfsStrategy.Piece piece,
      gmemsim.scenario.Budget budget) {
    Hunt.Options o = new Hunt.Options(seed, "dfs", 0, budget, maxSteps);
    RunTally tally = new RunTally(System.nanoTime(), null, null);
    Search search = new Search(s, o, null, Seeds.runSeed(seed, 0), tally, new HuntBudget(o, Long.MAX_VALUE));
    DfsStrategy dfs = data(s, DfsStrategy.of(s.intValue(Knobs.PREEMPTION_BOUND), null, piece));
    boolean done = search.all(dfs);
    search.add(dfs);
    HuntResult r = tally.result("dfs", seed, 0, search.error, null);
    return new PieceOutcome(r.runs(), r.steps(), r.truncatedRuns(), search.complete, search.stopped, search.deepest,
        done && search.error == null, new ArrayList<>(r.findings().values()), search.error);
  }

  /** What a statement of this search covers of the model's open choices: "" for all of them. */
  public static String dataScope(Scenario s, long seed) {
    return s.string(Knobs.DFS_DATA).equals("seed")
        ? "; only for the data seed " + seed + " draws (run.dfs-data = seed: which page each guest touches, each injected"
            + " failure)"
        : "";
  }

  /** The search as run.dfs-data says: over the model's choices too, or over schedules for the seed's data. */
  static DfsStrategy data(Scenario s, DfsStrategy d) {
    return s.string(Knobs.DFS_DATA).equals("seed") ? d.drawingData() : d;
  }

  /** run.shard "K/N", checked: 1 <= K <= N, and neither a claim nor a resumed frontier alongside. */
  private static int[] shard(Scenario s, Claim claim, Frontier from) {
    String v = s.string(Knobs.SHARD);
    String[] kn = v.split("/");
    int k;
    int n;
    try {
      k = Integer.parseInt(kn[0].strip());
      n = Integer.parseInt(kn[1].strip());
    } catch (RuntimeException e) {
      throw new ScenarioException(s.where(Knobs.SHARD) + ": '" + v + "' is not K/N (the K-th of N shards, such as 2/4)");
    }
    if (n < 1 || k < 1 || k > n) throw new ScenarioException(s.where(Knobs.SHARD) + ": " + v + ": K must be 1.." + n);
    if (claim != null || from != null) {
      throw new ScenarioException(s.where(Knobs.SHARD) + ": a shard is a plain search; a claim or a resumed frontier is searched whole");
    }
    return new int[] {k, n};
  }

  /** The runs of one search (or of the pieces of a shard, one after another), and what they add up to. */
  private static final class Search {
    final Scenario s;
    final Hunt.Options o;
    final Claim claim;
    final long runSeed;
    final RunTally tally;
    final HuntBudget budget;
    boolean finished;
    boolean pieceDone;
    String error;
    Finding witness;
    long witnessRun = -1;
    long consistent;
    long complete;
    long stopped;
    int deepest;

    Search(Scenario s, Hunt.Options o, Claim claim, long runSeed, RunTally tally, HuntBudget budget) {
      this.s = s;
      this.o = o;
      this.claim = claim;
      this.runSeed = runSeed;
      this.tally = tally;
      this.budget = budget;
    }

    /** Runs dfs to its end; false when the budget or an error ended it first. */
    boolean all(DfsStrategy dfs) {
      pieceDone = false;
      while (budget.wants(tally.runs(), tally.ledger())) {
        RunResult r;
        try {
          r = Hunt.runOnce(s, runSeed, dfs, o.maxSteps(), null, tally.coverage());
        } catch (RuntimeException e) {
          error = "dfs run " + tally.runs() + " failed: " + e.getMessage();
          return false;
        }
        // Under a claim only the runs that make it count: a run that breaks off is another interleaving.
        boolean counts = claim == null || dfs.runMadeClaim();
        if (claim != null && counts) {
          consistent++;
          if (witnessRun < 0) witnessRun = tally.runs();
          if (witness == null && r.violations().isEmpty()) {
            Violation v = new Violation(Coverage.SAMPLE, r.steps(), List.of(), List.of(),
                "no oracle fired: the claimed interleaving, every claimed step in the claimed order");
            witness = new Finding(Coverage.SAMPLE, 1, tally.runs(), runSeed, 0, tally.runs() + 1, v, r.schedule());
          }
        }
        tally.add(runSeed, r, counts);
        if (!dfs.nextRun()) {
          pieceDone = true;
          return true;
        }
      }
      return false;
    }

    void add(DfsStrategy dfs) {
      complete += dfs.complete();
      stopped += dfs.sleepBlocked();
      deepest = Math.max(deepest, dfs.deepest());
    }
  }

  /** What a frontier must have been searched under: every key but the hunt's budget, resume and expectations. */
  static String searchKnobs(Scenario s) {
    return searchKnobMap(s).toString();
  }

  private static java.util.TreeMap<String, Object> searchKnobMap(Scenario s) {
    java.util.TreeMap<String, Object> k = new java.util.TreeMap<>();
    s.effective().forEach((key, value) -> {
      if (!key.equals("run.budget") && !key.equals("run.resume") && !key.startsWith("expect.") && !key.equals("run.coverage")) {
        k.put(key, value);
      }
    });
    return k;
  }

  /** The frontier run.resume names, checked against this scenario; null when none is named. */
  static Frontier resumeFrom(Scenario s, String knobs, String kernel) {
    String file = s.string(Knobs.RESUME);
    if (file.isEmpty()) return null;
    Frontier f;
    try {
      f = gmemsim.report.ReplayFile.JSON.readValue(Path.of(file).toFile(), Frontier.class);
    } catch (IOException e) {
      throw new ScenarioException(s.where(Knobs.RESUME) + ": cannot read " + file + " as a frontier (" + e.getMessage() + ")");
    }
    if (!Frontier.FORMAT.equals(f.format())) {
      throw new ScenarioException(s.where(Knobs.RESUME) + ": " + file + " is format '" + f.format() + "', not " + Frontier.FORMAT);
    }
    if (!f.kernel().equals(kernel) || !f.knobs().equals(knobs)) {
      throw new ScenarioException(s.where(Knobs.RESUME) + ": " + file + " was searched with other " + (f.kernel().equals(kernel)
          ? "scenario keys (" + differing(f.knobs(), searchKnobMap(s)) + ")" : "kernel sources (" + f.kernel() + ", now " + kernel + ")")
          + ": its frontier means nothing here");
    }
    return f;
  }

  /** The keys whose value here is not the one the saved search had (its keys are a TreeMap's text). */
  static String differing(String saved, java.util.Map<String, Object> now) {
    List<String> keys = new ArrayList<>();
    now.forEach((k, v) -> {
      String kv = k + "=" + v;
      if (!(saved.contains("{" + kv + ",") || saved.contains(" " + kv + ",") || saved.contains(" " + kv + "}")
          || saved.equals("{" + kv + "}"))) {
        keys.add(k + " is " + v + " here");
      }
    });
    if (keys.isEmpty()) return "a key this build no longer has";
    return String.join("; ", keys.subList(0, Math.min(4, keys.size()))) + (keys.size() > 4 ? "; ..." : "");
  }

  /** The scenario's claimed interleaving (run.schedule or run.schedule-file), or null. */
  public static Claim claim(Scenario s) {
    List<String> steps = s.strings(Knobs.SCHEDULE);
    String file = s.string(Knobs.SCHEDULE_FILE);
    if (steps.isEmpty() && file.isEmpty()) return null;
    if (!steps.isEmpty() && !file.isEmpty()) {
      throw new ScenarioException(s.where(Knobs.SCHEDULE_FILE) + ": give run.schedule or run.schedule-file, not both");
    }
    gmemsim.lang.Program program = gmemsim.model.exec.KernelPrograms.of(s);
    List<String> actors = new ArrayList<>();
    for (gmemsim.model.Component c : MachineBuilder.build(s).components()) if (c.isExecutor()) actors.add(c.name());
    if (!steps.isEmpty()) {
      List<String> where = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) where.add(s.where(Knobs.SCHEDULE) + "[" + i + "]");
      return Claim.ofLines(steps, where, actors, program);
    }
    Path p = Path.of(file);
    if (!p.isAbsolute() && s.source() != null) {
      Path dir = Path.of(s.source()).toAbsolutePath().getParent();
      if (dir != null) p = dir.resolve(file);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(p);
    } catch (IOException e) {
      throw new ScenarioException(s.where(Knobs.SCHEDULE_FILE) + ": cannot read " + p + " (" + e.getClass().getSimpleName() + ")");
    }
    if (lines.stream().anyMatch(l -> l.contains("|"))) return Claim.ofDiagram(lines, p.toString(), actors, program);
    List<String> where = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) where.add(p + ":" + (i + 1));
    return Claim.ofLines(lines, where, actors, program);
  }
}
