package gmemsim.model.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.oracle.Oracles;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.scenario.Budget;
import gmemsim.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The upstream selftests' assertions written as scenarios (scenarios/selftests, listed row by row
 * in docs/selftests.md): every call returns what the selftest asserts, in every run.
 */
class SelftestScenariosTest {
  @Test
  void everySelftestScenarioReturnsWhatTheSelftestAsserts() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("..", "scenarios", "selftests"))) {
      files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
    assertTrue(files.size() >= 9, files.toString());
    for (Path f : files) {
      HuntResult r = Hunt.run(new ScenarioLoader(Oracles.names()).load(f, List.of()),
          new Hunt.Options(1, "pct", 3, Budget.parse("40runs"), 1_000_000), null);
      assertEquals(40, r.runs(), f.toString());
      assertEquals(Set.of(), r.findings().keySet(), f + ": " + r.findings());
    }
  }
}
