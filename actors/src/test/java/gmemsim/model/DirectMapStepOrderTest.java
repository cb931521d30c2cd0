package gmemsim.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * arch/x86/mm/pat/set_memory.c as kernel source: the lock sections of a direct-map change, read off
 * whole runs (the direct map owns only cpa_lock, so spin_lock@dmap is it).
 */
class DirectMapStepOrderTest {
  @Test
  void aLargePageSplitFlushesEveryTlbBeforeCpaLockIsDropped() {
    int splits = 0;
    for (long seed = 1; seed <= 20; seed++) {
      for (List<String> steps : StepLog.sentSteps("direct-map-stale-tlb.conf", seed)) {
        boolean held = false;
        for (int i = 0; i < steps.size(); i++) {
          String st = steps.get(i);
          if (st.equals("spin_lock@dmap")) held = true;
          if (st.equals("spin_unlock@dmap")) held = false;
          // Every change of a direct-map entry happens with cpa_lock held.
          if (st.startsWith("__change_page_attr_leaf") || st.startsWith("__split_large_page_locked")) {
            assertTrue(held, "outside cpa_lock: " + steps.subList(Math.max(0, i - 3), i + 1));
          }
          if (!st.startsWith("__split_large_page_locked")) continue;
          splits++;
          int unlock = i;
          while (!steps.get(unlock).equals("spin_unlock@dmap")) unlock++;
          // __split_large_page(): flush_tlb_all() inside pgd_lock, with cpa_lock held, before the
          // attribute change is retried.
          List<String> section = steps.subList(i, unlock);
          int flush = -1;
          int change = -1;
          for (int k = 0; k < section.size(); k++) {
            if (flush < 0 && section.get(k).startsWith("do_flush_tlb_all")) flush = k;
            if (change < 0 && section.get(k).startsWith("__change_page_attr_leaf")) change = k;
          }
          assertTrue(flush >= 0 && (change < 0 || flush < change), section.toString());
        }
      }
    }
    assertTrue(splits > 0, "no split in 20 runs");
  }
}
