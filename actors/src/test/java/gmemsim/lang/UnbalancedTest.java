package gmemsim.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.BalanceEvents.LeftUnbalanced;
import gmemsim.model.Event;
import gmemsim.oracle.UnbalancedOracle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quiescence checks: what a path leaves open is reported, and the unbalanced oracle fires on it. */
class UnbalancedTest {
  private static final String SRC = """
      int irq_left_off(void)
      {
              local_irq_disable();
              preempt_disable();
              preempt_enable();
              return 0;
      }

      int irq_balanced(void)
      {
              local_irq_disable();
              local_irq_enable();
              return 0;
      }

      int lock_and_forget(struct folio *folio)
      {
              folio_lock(folio);
              return 0;
      }

      int lock_and_unlock(struct folio *folio)
      {
              folio_lock(folio);
              folio_unlock(folio);
              return 0;
      }
      """;

  private static List<LeftUnbalanced> left(KernelBench b) {
    List<LeftUnbalanced> out = new ArrayList<>();
    for (Event e : b.events) if (e instanceof LeftUnbalanced u) out.add(u);
    return out;
  }

  private static List<String> fired(List<LeftUnbalanced> events) {
    List<String> out = new ArrayList<>();
    UnbalancedOracle o = new UnbalancedOracle();
    for (LeftUnbalanced e : events) o.onEvent(e, (oracle, message, actors, objects) -> out.add(oracle + ": " + message));
    return out;
  }

  @Test
  void aFunctionThatReturnsWithInterruptsOffIsReported() {
    KernelBench b = new KernelBench(SRC);
    b.run("irq_left_off");
    List<LeftUnbalanced> l = left(b);
    assertEquals(1, l.size(), l.toString());
    assertTrue(l.get(0).what().contains("irq_left_off() returns with local_irq_disable() x1 not undone"), l.get(0).what());
    assertEquals(List.of("unbalanced: t0: " + l.get(0).what()), fired(l));
    KernelBench ok = new KernelBench(SRC);
    ok.run("irq_balanced");
    assertEquals(List.of(), left(ok));
  }

  @Test
  void aFolioLeftLockedIsReportedAtTheEnd() {
    KernelBench b = new KernelBench(SRC);
    int folio = b.mem.allocator().allocPages(0, "t0");
    b.run("lock_and_forget", folio);
    assertEquals(List.of(), left(b), "nothing is judged before the end");
    b.quiesce();
    List<LeftUnbalanced> l = left(b);
    assertEquals(1, l.size(), l.toString());
    assertTrue(l.get(0).what().contains("is still locked (PG_locked)"), l.get(0).what());
    KernelBench ok = new KernelBench(SRC);
    int f2 = ok.mem.allocator().allocPages(0, "t0");
    ok.run("lock_and_unlock", f2);
    ok.quiesce();
    assertEquals(List.of(), left(ok));
  }
}
