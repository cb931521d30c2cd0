package gmemsim.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** arch/x86/mm/pat/set_memory.c: the lock sections of a direct-map change, read off whole runs. */
class DirectMapStepOrderTest {
  @Test
  void aLargePageSplitFlushesEveryTlbBeforeCpaLockIsDropped() {
    int splits = 0;
    for (long seed = 1; seed <= 20; seed++) {
      for (List<String> steps : StepLog.sentSteps("direct-map-stale-tlb.conf", seed)) {
        boolean held = false;
        for (int i = 0; i < steps.size(); i++) {
          String st = steps.get(i);
          if (st.startsWith("spin_lock(&cpa_lock)")) held = true;
          if (st.startsWith("spin_unlock(&cpa_lock)")) held = false;
          // Every change of a direct-map entry happens with cpa_lock held.
          if (st.startsWith("set_direct_map") || st.startsWith("__split_large_page")) {
            assertTrue(held, "outside cpa_lock: " + steps.subList(Math.max(0, i - 3), i + 1));
          }
          if (!st.startsWith("__split_large_page")) continue;
          splits++;
          int unlock = i;
          while (!steps.get(unlock).startsWith("spin_unlock(&cpa_lock)")) unlock++;
          // __split_large_page(): flush_tlb_all() inside pgd_lock, with cpa_lock held.
          assertTrue(steps.subList(i, unlock).stream().anyMatch(x -> x.startsWith("flush_tlb_all IPI")),
              steps.subList(i, unlock + 1).toString());
        }
      }
    }
    assertTrue(splits > 0, "no split in 20 runs");
  }
}
