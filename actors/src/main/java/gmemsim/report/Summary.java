package gmemsim.report;

import gmemsim.runtime.Finding;
import gmemsim.runtime.HuntResult;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes {@code summary.json}: the fields DESIGN §7 names, and the replay file per oracle. */
public final class Summary {
  private Summary() {}

  /** Swarm placement: per node, the losses, the re-issued runs, and the coordinator's cost per lease. */
  private static Map<String, Object> cluster(gmemsim.runtime.ClusterReport c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("placement", c.placement());
    m.put("leases", c.leases());
    m.put("lease", c.lease());
    m.put("coordinatorMicrosPerLease", Math.round(c.coordinatorMicrosPerLease() * 10) / 10.0);
    java.util.List<Map<String, Object>> nodes = new java.util.ArrayList<>();
    for (var n : c.nodes()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("node", n.node());
      x.put("runs", n.runs());
      x.put("steps", n.steps());
      x.put("leases", n.leases());
      x.put("workers", n.workers());
      x.put("busySeconds", Math.round(n.busySeconds() * 100) / 100.0);
      x.put("stepsPerSecPerWorker", Math.round(n.stepsPerSec()));
      x.put("findings", n.findings());
      nodes.add(x);
    }
    m.put("nodes", nodes);
    java.util.List<Map<String, Object>> lost = new java.util.ArrayList<>();
    for (var l : c.losses()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("node", l.node());
      x.put("atMs", l.atMs());
      x.put("why", l.why());
      x.put("runsReissued", l.runsReissued());
      lost.add(x);
    }
    m.put("lostNodes", lost);
    m.put("reissuedRuns", c.reissuedRuns());
    // Checked by the coordinator: the ranges whose results it merged tile [0, runs) with no gap
    // and no overlap, so every run's findings (a lost node's re-made) were counted exactly once.
    m.put("everyRunMadeOnce", c.everyRunMadeOnce());
    return m;
  }

  public static Map<String, Object> build(
      Scenario s,
      HuntResult r,
      gmemsim.runtime.RuntimeKind runtime,
      int nodes,
      Outcome outcome,
      Map<String, Path> replayFiles,
      String error,
      Family family) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", s.name());
    m.put("scenarioFile", s.source());
    m.put("knobs", s.effective());
    m.put("seed", r.seed());
    m.put("strategy", r.strategy());
    m.put("runtime", runtime.name());
    m.put("nodes", nodes);
    m.put("runs", r.runs());
    m.put("steps", r.steps());
    m.put("elapsedMs", r.elapsedMs());
    m.put("stepsPerSec", Math.round(r.stepsPerSec()));
    m.put("runsPerSec", Math.round(r.runsPerSec()));
    if (r.verification() != null) {
      gmemsim.runtime.Verification v = r.verification();
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("finished", v.finished());
      x.put("preemptionBound", v.preemptionBound());
      x.put("completeRuns", v.complete());
      x.put("stoppedRuns", v.stopped());
      x.put("stepLimitedRuns", v.stepLimited());
      x.put("deepest", v.deepest());
      x.put("components", v.components());
      x.put("statement", v.statement(!r.findings().isEmpty()));
      if (v.estimate() != null) x.put("estimate", v.estimate());
      if (v.claim() != null) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("steps", v.claim().steps());
        c.put("reached", v.claim().reached());
        c.put("run", v.claim().run());
        c.put("mostInOrder", v.claim().most());
        c.put("furthestState", v.claim().state());
        c.put("answer", v.claimStatement(!r.findings().isEmpty()));
        x.put("schedule", c);
      }
      m.put("verification", x);
    }
    if (runtime.componentsAreActors()) {
      m.put("crossNodeMessages", r.crossNodeMessages());
      m.put("faultedRuns", r.faultedRuns());
      m.put("placement", r.placement());
    }
    if (r.cluster() != null) m.put("cluster", cluster(r.cluster()));
    if (r.pctK() > 0) m.put("pctK", r.pctK());
    m.put("truncatedRuns", r.truncatedRuns());
    m.put("cutShort", r.cutShort());
    if (r.exposure() != null) {
      gmemsim.runtime.Exposure x = r.exposure();
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("runs", x.runs());
      e.put("runsExposed", x.runsExposed());
      e.put("meanStepsPerRun", Math.round(x.meanStepsPerRun() * 100) / 100.0);
      e.put("maxStepsInRun", x.maxStepsInRun());
      e.put("maxStepsPerPage", x.maxStepsPerPage());
      m.put("exposure", e);
    } else {
      m.put("exposure", null);
    }
    m.put("outcome", error != null ? "error" : outcome.matches() ? "match" : "mismatch");
    m.put("outcomeReason", error != null ? error : outcome.reason());
    Map<String, Object> expect = new LinkedHashMap<>();
    expect.put("clean", s.bool(Knobs.EXPECT_CLEAN));
    expect.put("violations", s.oracles(Knobs.EXPECT_VIOLATIONS));
    expect.put("mayAlso", s.oracles(Knobs.EXPECT_MAY_ALSO));
    expect.put("windows", s.strings(Knobs.EXPECT_WINDOWS));
    m.put("expect", expect);
    Map<String, Object> oracles = new LinkedHashMap<>();
    for (Finding f : r.findings().values()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("count", f.count());
      o.put("firstRun", f.firstRun());
      o.put("firstStep", f.first().step());
      o.put("runsToFirst", f.runsToFirst());
      o.put("timeToFirstMs", f.timeToFirstMs());
      o.put("actors", f.first().actors());
      o.put("message", f.first().message());
      Path p = replayFiles.get(f.oracle());
      o.put("replayFile", p == null ? null : p.toString());
      List<Map<String, Object>> races = new java.util.ArrayList<>();
      for (int i = 0; i < f.races().size(); i++) {
        gmemsim.runtime.Race race = f.races().get(i);
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("signature", race.signature());
        one.put("count", race.count());
        one.put("firstRun", race.firstRun());
        Path rf = race.firstRun() == f.firstRun() ? p : replayFiles.get(gmemsim.runtime.Race.replayKey(f.oracle(), i));
        one.put("replayFile", rf == null ? null : rf.toString());
        races.add(one);
      }
      o.put("races", races);
      oracles.put(f.oracle(), o);
    }
    m.put("oracles", oracles);
    if (r.coverage() != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("runs", r.coverage().runs());
      c.put("outcomes", r.coverage().outcomes());
      c.put("neverSeen", r.coverage().neverSeen());
      c.put("programPoints", r.coverage().programPoints());
      c.put("neverReached", r.coverage().neverReached());
      c.put("neverRan", r.coverage().neverRan());
      c.put("windows", r.coverage().windows());
      Map<String, Long> named = new LinkedHashMap<>();
      for (String w : s.strings(Knobs.EXPECT_WINDOWS)) named.put(w, r.coverage().windowRuns(w));
      c.put("expectedWindows", named);
      m.put("coverage", c);
    }
    Confidence conf = Confidence.of(s, r, family);
    if (conf != null) m.put("confidence", conf.json());
    return m;
  }

  public static void write(Path file, Map<String, Object> summary) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    ReplayFile.JSON.writeValue(file.toFile(), summary);
  }
}
