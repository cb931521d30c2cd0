package gmemsim.report;

import gmemsim.runtime.Finding;
import gmemsim.runtime.HuntResult;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes {@code summary.json}: the fields DESIGN §7 names, and the replay file per oracle. */
public final class Summary {
  private Summary() {}

  public static Map<String, Object> build(
      Scenario s,
      HuntResult r,
      String runtime,
      int nodes,
      Outcome outcome,
      Map<String, Path> replayFiles,
      String error) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", s.name());
    m.put("scenarioFile", s.source());
    m.put("knobs", s.effective());
    m.put("seed", r.seed());
    m.put("strategy", r.strategy());
    m.put("runtime", runtime);
    m.put("nodes", nodes);
    m.put("runs", r.runs());
    m.put("steps", r.steps());
    m.put("elapsedMs", r.elapsedMs());
    m.put("stepsPerSec", Math.round(r.stepsPerSec()));
    m.put("runsPerSec", Math.round(r.runsPerSec()));
    if (runtime.equals("akka")) {
      m.put("crossNodeMessages", r.crossNodeMessages());
      m.put("placement", r.placement());
    }
    if (r.pctK() > 0) m.put("pctK", r.pctK());
    m.put("truncatedRuns", r.truncatedRuns());
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
      oracles.put(f.oracle(), o);
    }
    m.put("oracles", oracles);
    if (r.coverage() != null) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("runs", r.coverage().runs());
      c.put("outcomes", r.coverage().outcomes());
      c.put("neverSeen", r.coverage().neverSeen());
      c.put("windows", r.coverage().windows());
      Map<String, Long> named = new LinkedHashMap<>();
      for (String w : s.strings(Knobs.EXPECT_WINDOWS)) named.put(w, r.coverage().windowRuns(w));
      c.put("expectedWindows", named);
      m.put("coverage", c);
    }
    Confidence conf = Confidence.of(s, r);
    if (conf != null) m.put("confidence", conf.json());
    return m;
  }

  public static void write(Path file, Map<String, Object> summary) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    ReplayFile.JSON.writeValue(file.toFile(), summary);
  }
}
