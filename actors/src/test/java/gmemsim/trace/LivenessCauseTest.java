package gmemsim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gmemsim.oracle.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A liveness finding's brief keeps the step that made it so. */
class LivenessCauseTest {
  private static TraceLine line(long step, String from, String to, String call, String... changes) {
    return new TraceLine(step, from, to, call.replaceAll("\\(.*", ""), call, List.of(changes), List.of());
  }

  @Test
  void aDeadlockKeepsTheStepThatTookEachLockItNames() {
    List<TraceLine> lines = new ArrayList<>();
    lines.add(line(1, "vmm", "gmem0", "down_write(sem=invalidate_lock)", "gmem0 invalidate_lock held for write"));
    lines.add(line(3, "mf", "mem0", "folio_lock(folio=0x100001)", "PG_locked set"));
    for (int i = 0; i < 50; i++) lines.add(line(5 + 2 * i, "vmm", "mem0", "folio_order(folio=0x100000)", "order 0"));
    lines.add(line(200, "mf", "gmem0", "down_read(sem=invalidate_lock)", "gmem0 invalidate_lock contended: mf sleeps"));
    lines.add(line(202, "vmm", "mem0", "folio_lock(folio=0x100001)", "locked by someone else: vmm sleeps"));
    Violation v = new Violation("deadlock", 202, List.of("vmm", "mf"), List.of("gmem0 invalidate_lock"),
        "wait-for cycle: vmm waits for folio 0x100001 lock, mf waits for gmem0 invalidate_lock, held by vmm");
    List<TraceLine> causes = LivenessCause.of(v, lines);
    assertEquals(List.of(1L, 3L), causes.stream().map(TraceLine::step).sorted().toList());
    // The brief shows them though they lie far before the focus.
    List<TraceFolding.Block> brief = new TraceFolding(v).brief(lines, 3, 3);
    long shownCauses = brief.stream().filter(b -> b instanceof TraceFolding.Shown s && s.mark() == TraceFolding.Mark.CAUSE).count();
    assertEquals(2, shownCauses, brief.toString());
  }

  @Test
  void aReaderQueuedBehindAWriterKeepsTheWritersWait() {
    List<TraceLine> lines = new ArrayList<>();
    lines.add(line(1, "vmm", "gmem0", "down_write(sem=invalidate_lock)", "gmem0 invalidate_lock held for write"));
    lines.add(line(3, "io", "mm0", "down_read(sem=mmap_lock)", "mm0 mmap_lock held shared (1)"));
    lines.add(line(5, "io", "gmem0", "down_read(sem=invalidate_lock)", "gmem0 invalidate_lock contended: io sleeps"));
    lines.add(line(7, "alloc", "mm0", "down_write(sem=mmap_lock)", "mm0 mmap_lock contended: alloc sleeps"));
    for (int i = 0; i < 50; i++) lines.add(line(9 + 2 * i, "vmm", "mem0", "folio_order(folio=0x100000)", "order 0"));
    lines.add(line(200, "vmm", "mm0", "down_read(sem=mmap_lock)", "mm0 mmap_lock contended: vmm sleeps"));
    Violation v = new Violation("deadlock", 200, List.of("vmm", "io"), List.of("mm0 mmap_lock"),
        "wait-for cycle: vmm waits for mm0 mmap_lock (behind alloc, queued first), io waits for gmem0 invalidate_lock, held by vmm");
    // the takers of both locks, and the writer the reader sleeps behind
    assertEquals(List.of(1L, 3L, 7L), LivenessCause.of(v, lines).stream().map(TraceLine::step).sorted().toList());
  }

  @Test
  void aLivelockKeepsTheLastChangeToWhatTheSpinnerWaitsOn() {
    List<TraceLine> lines = new ArrayList<>();
    lines.add(line(1, "vmm", "kvm0", "kvm_mmu_invalidate_begin", "in_progress 1"));
    lines.add(line(3, "vmm", "kvm0", "kvm_mem_attributes_store(start=0x1)", "1 gfns now PRIVATE"));
    lines.add(line(5, "vmm", "mem0", "folio_put(folio=0x1)", "refcount 2 -> 1"));
    for (int i = 0; i < 40; i++) {
      lines.add(line(7 + 2 * i, "vcpu0", "kvm0", "mmu_invalidate_retry_gfn_unsafe(mmu_seq=2, gfn=0x1)",
          "invalidation of gfn in progress: retry"));
    }
    Violation v = new Violation("livelock", 90, List.of("vcpu0"), List.of(), "no progress: vcpu0 went round 64 retries");
    assertEquals(List.of(1L), LivenessCause.of(v, lines).stream().map(TraceLine::step).toList());
  }
}
