package gmemsim.model.kvm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order of kernel steps inside KVM paths, as upstream has it (issue 12, item 5), read off the
 * deliveries of whole runs: which steps a path sends, in which order, between which lock steps.
 */
class KvmStepOrderTest {
  private static List<List<String>> sentSteps(String scenario, long seed, String... sets) {
    return gmemsim.model.StepLog.sentSteps(scenario, seed, sets);
  }

  @Test
  void faultRunsTheLocklessCheckBeforeGetPfnAndReleasesThePageBeforeReadUnlock() {
    int faults = 0;
    for (long seed = 1; seed <= 5; seed++) {
      for (List<String> steps : sentSteps("fault-vs-punch-hole.conf", seed)) {
        for (int i = 0; i < steps.size(); i++) {
          if (!steps.get(i).startsWith("mmu_invalidate_seq@")) continue;
          faults++;
          // kvm_mmu_faultin_pfn(): the attributes, then the lockless check, then the pfn.
          assertTrue(steps.get(i + 1).startsWith("kvm_mem_is_private@"), steps.subList(i, i + 4).toString());
          assertTrue(steps.get(i + 2).startsWith("mmu_invalidate_retry_gfn_unsafe@"), steps.subList(i, i + 4).toString());
          assertTrue(steps.get(i + 3).startsWith("kvm_slot_gmem_file@"), steps.subList(i, i + 4).toString());
        }
        int readLock = -1;
        for (int i = 0; i < steps.size(); i++) {
          String st = steps.get(i);
          if (st.startsWith("read_lock@kvm0")) readLock = i;
          if (st.startsWith("read_unlock@kvm0")) {
            // kvm_mmu_finish_page_fault() puts the page inside the read-side section.
            assertTrue(readLock >= 0 && steps.subList(readLock, i).stream().anyMatch(x -> x.startsWith("folio_put")),
                steps.subList(Math.max(0, readLock), i + 1).toString());
            readLock = -1;
          }
        }
      }
    }
    assertTrue(faults > 0, "the scenario faults");
  }

  @Test
  void gmemInvalidationFlushesBeforeItDropsMmuLock() {
    int sections = 0;
    for (List<String> steps : sentSteps("fault-vs-punch-hole.conf", 3)) {
      for (int i = 0; i < steps.size(); i++) {
        if (!steps.get(i).startsWith("kvm_mmu_unmap_gfn_range@")) continue;
        int unlock = i;
        while (!steps.get(unlock).startsWith("write_unlock@kvm0")) unlock++;
        int flush = i;
        while (flush < steps.size() && !steps.get(flush).startsWith("kvm_vcpu_flush_tlb_request")) flush++;
        sections++;
        // A zap that removed something flushes inside the section; one that removed nothing may
        // skip the flush, but never flushes after the unlock.
        assertTrue(flush > unlock ? !steps.subList(unlock, Math.min(steps.size(), unlock + 3)).stream()
            .anyMatch(x -> x.startsWith("kvm_vcpu_flush_tlb_request")) : flush < unlock, steps.subList(i, unlock + 1).toString());
      }
    }
    assertTrue(sections > 0);
  }

  @Test
  void theLastFputRunsReleaseAfterTheFaultAsTaskWork() {
    // release-vs-get-pfn: the VMM closes the file while the vCPU faults. When a fault's fput() is
    // the last reference, the release runs as task_work once the fault is over: what the vCPU
    // does after the release is a new fault (or the guest), never the rest of the old one.
    int releasesByVcpu = 0;
    for (long seed = 1; seed <= 5000 && releasesByVcpu < 3; seed++) {
      for (List<String> steps : sentSteps("release-vs-get-pfn.conf", seed)) {
        if (steps.stream().noneMatch(x -> x.startsWith("__ept_walk"))) continue;
        for (int i = 0; i < steps.size(); i++) {
          if (!steps.get(i).startsWith("mutex_unlock@kvm0")) continue;
          releasesByVcpu++;
          for (int k = i + 1; k < steps.size(); k++) {
            String st = steps.get(k);
            if (st.startsWith("mmu_invalidate_seq@")) break;
            assertTrue(!st.startsWith("mmu_invalidate_retry_gfn") && !st.startsWith("read_lock@kvm0"),
                "the fault went on after its release: " + steps.subList(i, k + 1));
          }
        }
      }
    }
    assertTrue(releasesByVcpu > 0, "no vCPU ran the release in 5000 runs");
  }
}
