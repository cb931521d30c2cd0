package gmemsim.runtime.dfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.oracle.Oracles;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.Verification;
import gmemsim.scenario.Budget;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reviewer's claimed interleaving, answered: reachable and harmful, reachable and harmless, unreachable. */
class ClaimTest {
  private static final Path SCENARIO = Path.of("..", "scenarios", "split-vs-tryget-dfs.conf");

  private static HuntResult answer(String variant, String claimFile) {
    Path claim = Path.of("..", "scenarios", "claims", claimFile).toAbsolutePath();
    Scenario s = new ScenarioLoader(Oracles.names()).load(SCENARIO, variant, List.of("run.schedule-file=\"" + claim + "\""));
    return Hunt.run(s, new Hunt.Options(1, "dfs", 3, Budget.parse("100000runs"), 1_000_000), null);
  }

  @Test
  void theSeed004OrderIsReachableAndHarmfulWithThePostedGet() {
    HuntResult r = answer("rfc-2024", "seed-004-race.diagram");
    Verification.ClaimAnswer a = r.verification().claim();
    assertTrue(a.reached());
    assertTrue(r.findings().containsKey("refcount-error"), r.findings().keySet().toString());
    assertTrue(r.verification().claimStatement(true).startsWith("schedule: reachable and harmful:"));
  }

  @Test
  void theSameOrderIsReachableAndHarmlessWithMainlinesRecheck() {
    HuntResult r = answer("mainline", "seed-004-mainline.diagram");
    assertTrue(r.verification().claim().reached());
    assertTrue(r.verification().finished());
    assertEquals(List.of(), List.copyOf(r.findings().keySet()));
    assertTrue(r.verification().claim().consistent() > 1);
    // The first run that makes the claim is saved to replay.
    assertTrue(r.sample() != null && r.sample().first().message().contains("claimed interleaving"));
  }

  @Test
  void theFaultsRecheckInsideTheNotifiersCriticalSectionIsUnreachableAndTheLockIsNamed() {
    HuntResult r = answer("mainline", "fault-inside-invalidation.diagram");
    Verification.ClaimAnswer a = r.verification().claim();
    assertTrue(r.verification().finished());
    assertTrue(!a.reached());
    assertEquals(1, a.most(), "the notifier's begin is made, the fault's re-check never follows it");
    String why = r.verification().claimStatement(false);
    assertTrue(why.startsWith("schedule: unreachable"), why);
    assertTrue(why.contains("taker0: at arch/x86/kvm/mmu/mmu.c:") && why.contains("read_lock(&kvm->mmu_lock)"), why);
    assertTrue(why.contains("write_unlock(&kvm->mmu_lock)"), why);
  }

  @Test
  void aClaimNamingNoActorOrFunctionIsRefusedWithItsLine() {
    // Loading alone is fine; the claim is read against the machine and the program:
    Scenario s = new ScenarioLoader(Oracles.names())
        .load(SCENARIO, "mainline", List.of("run.schedule=[\"taker0: try_get_folio:page_folio\", \"vcpu7: try_get_folio\"]"));
    ScenarioException bad = assertThrows(ScenarioException.class, () -> Exhaustive.claim(s));
    assertTrue(bad.getMessage().contains("run.schedule[1]: 'vcpu7' is no actor of the scenario (taker0, owner0)"), bad.getMessage());
  }
}
