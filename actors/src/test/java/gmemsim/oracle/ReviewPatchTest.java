package gmemsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.scenario.Budget;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reviewer questions of README's "Modelling a patch": each is a patch file under
 * scenarios/patches/ run as a variant of an existing workload, and each answer its header states
 * is what the hunt finds (the oracles only; the patch is the sole difference from mainline).
 */
class ReviewPatchTest {
  @ParameterizedTest
  @CsvSource({
    "split-vs-tryget, recheck-before-get, refcount-error",
    "split-vs-tryget, split-without-freeze, refcount-error",
    "unmap-vs-tryget, stale-check-outside-mmu-lock, use-after-free warn",
  })
  void theAnswerInThePatchHeaderIsWhatTheHuntFinds(String scenario, String variant, String expected) {
    var s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", scenario + ".conf"), variant, List.of());
    HuntResult r = Hunt.run(s, new Hunt.Options(1, "pct", 4, Budget.parse("6000runs"), 1_000_000), null);
    assertEquals(Set.of(expected.split(" ")), r.findings().keySet(), variant);
  }
}
