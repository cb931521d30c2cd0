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
    "split-vs-tryget, recheck-before-get, refcount-error, 6000",
    "split-vs-tryget, split-without-freeze, refcount-error, 6000",
    "unmap-vs-tryget, stale-check-outside-mmu-lock, use-after-free warn, 6000",
    "gmem-prepare-vs-store, prepare-unlocked, wrong-data, 20000",
    "vm-close-vs-file-release, put-under-slots-lock, deadlock refcount-error unbalanced, 2000",
    "vm-close-vs-file-release, put-first, use-after-free warn, 2000",
    "release-vs-get-pfn, get-file, use-after-free warn refcount-error, 3000",
  })
  void theAnswerInThePatchHeaderIsWhatTheHuntFinds(String scenario, String variant, String expected, int runs) {
    var s = new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", scenario + ".conf"), variant, List.of());
    HuntResult r = Hunt.run(s, new Hunt.Options(1, "pct", 4, Budget.parse(runs + "runs"), 1_000_000), null);
    assertEquals(Set.of(expected.split(" ")), r.findings().keySet(), variant);
  }
}
