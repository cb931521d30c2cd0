package gmemsim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.oracle.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text trace folds retry loops, says where a lane stood still, and merges replies into calls. */
class TextTraceTest {
  private static TraceLine call(long step, String from, String what) {
    return new TraceLine(step, from, "kvm0", what, what, List.of(), List.of());
  }

  private static TraceLine ret(long step, String to) {
    return new TraceLine(step, "kvm0", to, "return", "return 0x2", List.of(), List.of());
  }

  @Test
  void aRetryLoopShowsThreeRoundsAndCountsTheRest() {
    List<TraceLine> lines = new ArrayList<>();
    long step = 0;
    for (int round = 0; round < 10; round++) {
      for (String s : List.of("mmu_invalidate_seq", "mmu_invalidate_retry_gfn_unsafe", "tdg_mem_page_accept")) {
        lines.add(call(step++, "vcpu0", s));
        lines.add(ret(step++, "vcpu0"));
      }
    }
    Violation v = new Violation("livelock", step, List.of("vcpu0"), List.of(), "spins");
    lines.add(new TraceLine(step, "vcpu0", "kvm0", "mmu_invalidate_seq", "mmu_invalidate_seq", List.of(), List.of(v)));
    String text = TextTrace.format(lines, List.of(), v, false, 0);
    assertTrue(text.contains("... and 21 more steps of the same loop by vcpu0, folded"), text);
    assertTrue(text.contains("=> return 0x2"), "replies merged into their calls");
    assertTrue(text.contains("!! livelock: spins"), "the violating step is never folded");
    assertEquals(3, TextTrace.loopPeriod(List.of("a", "b", "c", "a", "b", "c", "a", "b", "c", "a")));
    assertEquals(0, TextTrace.loopPeriod(List.of("a", "b", "c", "a", "b", "c", "a", "b", "c")));
    assertEquals(0, TextTrace.loopPeriod(List.of("a", "b", "c", "a", "b", "d")));
  }

  @Test
  void aLaneThatWaitsLongStandsStill() {
    Violation v = new Violation("refcount-error", 200, List.of("taker1"), List.of(), "x");
    List<TraceLine> lines = List.of(
        call(56, "taker1", "page_folio"),
        call(95, "owner0", "clear_compound_head"),
        new TraceLine(190, "taker1", "kvm0", "folio_try_get", "folio_try_get", List.of(), List.of(v)));
    String text = TextTrace.brief(lines, v, 12, 4, 0);
    assertTrue(text.contains("taker1 stands still for 133 steps"), text);
  }
}
