package gmemsim.model.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gmemsim.model.StepLog;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * madvise() takes the lock its advice needs (mm/madvise.c get_lock_mode()): MADV_HUGEPAGE changes
 * VMA flags, mmap_lock for write; MADV_COLLAPSE and MADV_DONTNEED (the per-VMA lock's fallback)
 * for read. Read off selftests/guest-memfd-collapse.conf's one actor.
 */
class MadviseLockTest {
  @Test
  void hugepageWritesCollapseAndDontneedRead() {
    List<List<String>> sent = StepLog.sentSteps("selftests/guest-memfd-collapse.conf", 1);
    List<String> vmm = sent.get(sent.size() - 1);
    // mmap() of each of the five operations takes mmap_lock for write, and MADV_HUGEPAGE once more
    assertEquals(6, vmm.stream().filter("down_write@mm0"::equals).count(), vmm.toString());
    // the 512 read faults of the first mmap-read and the one of the last, MADV_COLLAPSE, MADV_DONTNEED
    assertEquals(515, vmm.stream().filter("down_read@mm0"::equals).count());
    assertEquals(6, vmm.stream().filter("up_write@mm0"::equals).count());
    assertEquals(515, vmm.stream().filter("up_read@mm0"::equals).count());
  }
}
