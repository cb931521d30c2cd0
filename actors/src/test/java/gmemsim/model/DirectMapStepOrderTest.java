package gmemsim.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * arch/x86/mm/pat/set_memory.c as kernel source: the lock sections of a direct-map change, read off
 * whole runs. The direct map owns cpa_lock and pgd_lock, and pgd_lock is only ever taken inside
 * cpa_lock, so the depth of spin_lock@dmap tells them apart: 1 is cpa_lock, 2 is pgd_lock too.
 */
class DirectMapStepOrderTest {
  @Test
  void aLargePageSplitFlushesEveryTlbUnderPgdLockBeforeTheAttributeChange() {
    int splits = 0;
    for (long seed = 1; seed <= 20; seed++) {
      for (List<String> steps : StepLog.sentSteps("direct-map-stale-tlb.conf", seed)) {
        int depth = 0;
        for (int i = 0; i < steps.size(); i++) {
          String st = steps.get(i);
          if (st.equals("spin_lock@dmap")) depth++;
          if (st.equals("spin_unlock@dmap")) depth--;
          // Every change of a direct-map entry happens with cpa_lock held, a split under pgd_lock too.
          if (st.startsWith("__change_page_attr_leaf")) {
            assertTrue(depth == 1, "not under cpa_lock alone: " + steps.subList(Math.max(0, i - 3), i + 1));
          }
          if (!st.startsWith("__split_large_page_locked")) continue;
          assertTrue(depth == 2, "a split outside pgd_lock: " + steps.subList(Math.max(0, i - 3), i + 1));
          splits++;
          // __split_large_page(): flush_tlb_all() before pgd_lock is dropped, so before cpa_lock is
          // dropped and before the attribute change is retried.
          int pgdUnlock = i;
          while (!steps.get(pgdUnlock).equals("spin_unlock@dmap")) pgdUnlock++;
          List<String> section = steps.subList(i, pgdUnlock);
          assertTrue(section.stream().anyMatch(x -> x.startsWith("do_flush_tlb_all")), section.toString());
          assertTrue(section.stream().noneMatch(x -> x.startsWith("__change_page_attr_leaf")), section.toString());
        }
        assertTrue(depth == 0, "a direct-map lock still held at the end");
      }
    }
    assertTrue(splits > 0, "no split in 20 runs");
  }
}
