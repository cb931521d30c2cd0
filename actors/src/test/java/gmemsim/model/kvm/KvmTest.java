package gmemsim.model.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.Event;
import gmemsim.model.Msg;
import gmemsim.model.lock.RwSem;
import gmemsim.model.thread.ThreadProtocol.Ret;
import gmemsim.oracle.DeadlockOracle;
import gmemsim.oracle.OverZapOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The KVM MMU's steps driven by hand (no runtime): every request from component 1. */
class KvmTest {
  private static final long BASE = 0x80000;

  /** A Ctx that records replies and events. */
  static final class FakeCtx implements Ctx {
    final List<Msg> sent = new ArrayList<>();
    final List<Event> events;
    int sender = 1;

    FakeCtx() {
      this(new ArrayList<>());
    }

    /** Shares the event log with other contexts, so events stay in the order they happened. */
    FakeCtx(List<Event> events) {
      this.events = events;
    }

    public int self() {
      return 0;
    }

    public int sender() {
      return sender;
    }

    public String name(int c) {
      return "c" + c;
    }

    public void send(int to, Msg m) {
      sent.add(m);
    }

    public RandomGenerator rng() {
      return new SplittableRandom(1);
    }

    public void emit(Event e) {
      events.add(e);
    }

    public boolean tracing() {
      return false;
    }

    public void note(String change) {}

    long last() {
      return ((Ret) sent.get(sent.size() - 1)).value();
    }
  }

  private static final long KVM = gmemsim.model.prim.Handles.of(0);
  private static final long MMU_LOCK = gmemsim.model.prim.Handles.fieldAddress(KVM, gmemsim.model.prim.Structs.id("kvm", "mmu_lock"));

  /** Primitive p of kvm, as kernel source calls it; returns its reply's value. */
  private static long call(Kvm k, FakeCtx c, String p, long... args) {
    return step(k, c, null, p, args);
  }

  private static long step(Kvm k, FakeCtx c, long[] ghosts, String p, long... args) {
    k.onMessage(new gmemsim.model.prim.Step(gmemsim.model.prim.Primitives.byName(p).id(), args, ghosts, -1, false, -1), c);
    return c.last();
  }

  private static void lock(Kvm k, FakeCtx c, boolean write) {
    call(k, c, write ? "write_lock" : "read_lock", MMU_LOCK);
  }

  private static void unlock(Kvm k, FakeCtx c, boolean write) {
    call(k, c, write ? "write_unlock" : "read_unlock", MMU_LOCK);
  }

  /** kvm_tdp_mmu_map() of gfn -> pfn under the reference the fault believes covers pfn (generation 3). */
  private static long map(Kvm k, FakeCtx c, long gfn, long pfn, int maxOrder) {
    return step(k, c, new long[] {pfn & ~511L, 3}, "kvm_tdp_mmu_map", KVM, gfn, pfn, maxOrder, 1, 0);
  }

  private static Kvm tdx(double splitFail) {
    return new Kvm("kvm0", 1, VmType.TDX, BASE, 512, splitFail);
  }

  private static void map2m(Kvm k, FakeCtx c) {
    lock(k, c, false);
    assertEquals(9, map(k, c, BASE + 5, 0x100605, 9), "a 2M folio with uniform attributes maps at 2M");
    unlock(k, c, false);
    call(k, c, "tdg_mem_page_accept", KVM, BASE);
  }

  private static long zap(Kvm k, FakeCtx c, boolean split) {
    lock(k, c, true);
    call(k, c, "kvm_mmu_invalidate_begin", KVM);
    call(k, c, "kvm_mmu_invalidate_range_add", KVM, BASE + 1, BASE + 2);
    long r = 0;
    if (split) {
      r = call(k, c, "kvm_split_cross_boundary_leafs", KVM, BASE + 1, BASE + 2);
    }
    if (r == 0) call(k, c, "kvm_mmu_unmap_gfn_range", KVM, BASE + 1, BASE + 2, Kvm.KVM_FILTER_PRIVATE, BASE + 1, BASE + 2);
    return r;
  }

  @Test
  void theLastPutFreesTheVmAndEveryStepAfterIsAUseAfterFree() {
    Kvm k = tdx(0);
    FakeCtx c = new FakeCtx();
    k.bootUsers(2);
    long users = gmemsim.model.prim.Handles.fieldAddress(KVM, gmemsim.model.prim.Structs.id("kvm", "users_count"));
    assertEquals(0, call(k, c, "refcount_dec_and_test", users), "the VM fd's put leaves the file's reference");
    lock(k, c, false);
    unlock(k, c, false);
    assertEquals(List.of(), useAfterFree(c));
    assertEquals(1, call(k, c, "refcount_dec_and_test", users), "the file's put is the last");
    call(k, c, "kvm_arch_free_vm", KVM);
    assertEquals(List.of(), useAfterFree(c), "the free itself uses nothing freed");
    lock(k, c, false);
    assertEquals(List.of(new gmemsim.model.KernelEvents.ObjectUseAfterFree("c1", "struct kvm kvm0", "read_lock")), useAfterFree(c));
  }

  private static List<Event> useAfterFree(FakeCtx c) {
    return c.events.stream().filter(e -> e instanceof gmemsim.model.KernelEvents.ObjectUseAfterFree).toList();
  }

  @Test
  void twoMegLeafMapsEveryPageOfTheFolio() {
    Kvm k = tdx(0);
    FakeCtx c = new FakeCtx();
    map2m(k, c);
    assertEquals(0x100600, k.spte(BASE));
    assertEquals(0x1007ff, k.spte(BASE + 511));
  }

  @Test
  void retryCheckSeesTheRangeWhileInProgressAndTheSequenceAfter() {
    Kvm k = tdx(0);
    FakeCtx c = new FakeCtx();
    lock(k, c, true);
    call(k, c, "kvm_mmu_invalidate_begin", KVM);
    call(k, c, "kvm_mmu_invalidate_range_add", KVM, BASE + 1, BASE + 2);
    assertEquals(1, call(k, c, "mmu_invalidate_retry_gfn_unsafe", KVM, 0, BASE + 1));
    assertEquals(0, call(k, c, "mmu_invalidate_retry_gfn_unsafe", KVM, 0, BASE + 2),
        "a gfn outside the range passes while the sequence has not moved");
    call(k, c, "kvm_mmu_invalidate_end", KVM);
    assertEquals(1, call(k, c, "mmu_invalidate_retry_gfn_unsafe", KVM, 0, BASE + 2), "the sequence moved");
  }

  @Test
  void zapWithoutSplitTakesTheWholeLeafAndOverZaps() {
    Kvm k = tdx(0);
    FakeCtx c = new FakeCtx();
    map2m(k, c);
    zap(k, c, false);
    assertEquals(-1, k.spte(BASE));
    List<String> fired = new ArrayList<>();
    OverZapOracle o = new OverZapOracle();
    for (Event e : c.events) o.onEvent(e, (n, m, a, ob) -> fired.add(n));
    assertEquals(List.of("over-zap"), fired);
  }

  @Test
  void splitFirstZapsExactlyTheRange() {
    Kvm k = tdx(0);
    FakeCtx c = new FakeCtx();
    map2m(k, c);
    assertEquals(0, zap(k, c, true));
    assertEquals(-1, k.spte(BASE + 1));
    assertEquals(0x100600, k.spte(BASE));
    assertEquals(0, k.leafOrder(BASE));
    OverZapOracle o = new OverZapOracle();
    for (Event e : c.events) o.onEvent(e, (n, m, a, ob) -> { throw new AssertionError(m); });
  }

  @Test
  void failedSplitChangesNothing() {
    Kvm k = tdx(1.0);
    FakeCtx c = new FakeCtx();
    map2m(k, c);
    assertEquals(Errno.ENOMEM, zap(k, c, true));
    assertEquals(9, k.leafOrder(BASE + 1));
    assertEquals(0x100601, k.spte(BASE + 1));
  }

  @Test
  void recursiveReaderAfterWriterIsAWaitForCycle() {
    RwSem sem = new RwSem("gmem0 invalidate_lock");
    FakeCtx c = new FakeCtx();
    sem.acquire(true, c);
    sem.acquire(false, c);
    List<String> fired = new ArrayList<>();
    DeadlockOracle o = new DeadlockOracle();
    for (Event e : c.events) o.onEvent(e, (n, m, a, ob) -> fired.add(m));
    assertEquals(1, fired.size());
    assertTrue(fired.get(0).contains("c1 waits for gmem0 invalidate_lock, held by c1"), fired.get(0));
  }

  @Test
  void readersShareWritersQueueInOrder() {
    RwSem sem = new RwSem("l");
    List<Event> log = new ArrayList<>();
    FakeCtx a = new FakeCtx(log);
    FakeCtx b = new FakeCtx(log);
    b.sender = 2;
    sem.acquire(false, a);
    sem.acquire(false, b);
    assertEquals(2, sem.readers());
    FakeCtx w = new FakeCtx(log);
    w.sender = 3;
    sem.acquire(true, w);
    assertTrue(w.sent.isEmpty(), "a writer waits for the readers");
    sem.release(false, a);
    sem.release(false, b);
    assertTrue(sem.heldForWrite());
    List<String> fired = new ArrayList<>();
    DeadlockOracle o = new DeadlockOracle();
    for (Event e : log) o.onEvent(e, (n, m, ac, ob) -> fired.add(m));
    assertEquals(List.of(), fired);
  }

  /** The pre-set pass of a conversion of gfn BASE+1 under write mmu_lock; true: as mainline. */
  private static void preSet(Kvm k, FakeCtx c, boolean mainline) {
    lock(k, c, true);
    call(k, c, "kvm_mmu_invalidate_begin", KVM);
    call(k, c, "kvm_mmu_invalidate_range_add", KVM, BASE + 1, BASE + 2);
    if (mainline) call(k, c, "kvm_arch_pre_set_memory_attributes_hugepages", KVM, BASE + 1, BASE + 2);
    unlock(k, c, true);
  }

  /** mmu_invalidate_retry_gfn(BASE, seq 0) under read mmu_lock: 1 means the fault retries. */
  private static long retryAtBlockHead(Kvm k, FakeCtx c) {
    lock(k, c, false);
    long v = call(k, c, "mmu_invalidate_retry_gfn", KVM, 0, BASE);
    unlock(k, c, false);
    return v;
  }

  @Test
  void preSetPassWidensToThePartlyCoveredTwoMegBlockOnlySince9129633d568e() {
    Kvm old = new Kvm("kvm0", 1, VmType.SW_PROTECTED, BASE, 512, 0);
    FakeCtx c = new FakeCtx();
    preSet(old, c, false);
    assertEquals(List.of(BASE + 1, BASE + 2), java.util.Arrays.stream(old.invalidateRange()).boxed().toList());
    assertEquals(0, retryAtBlockHead(old, c), "before the fix a fault on the block's head goes ahead");

    Kvm mainline = new Kvm("kvm0", 1, VmType.SW_PROTECTED, BASE, 512, 0);
    preSet(mainline, c, true);
    assertEquals(List.of(BASE, BASE + 512), java.util.Arrays.stream(mainline.invalidateRange()).boxed().toList());
    assertEquals(1, retryAtBlockHead(mainline, c));
  }

  @Test
  void aBlockCoveredWholeOrAlreadyMixedAddsNothingMore() {
    Kvm k = new Kvm("kvm0", 1, VmType.SW_PROTECTED, BASE, 1024, 0);
    FakeCtx c = new FakeCtx();
    lock(k, c, true);
    call(k, c, "kvm_mmu_invalidate_begin", KVM);
    call(k, c, "kvm_mmu_invalidate_range_add", KVM, BASE, BASE + 512);
    call(k, c, "kvm_arch_pre_set_memory_attributes_hugepages", KVM, BASE, BASE + 512);
    assertEquals(List.of(BASE, BASE + 512), java.util.Arrays.stream(k.invalidateRange()).boxed().toList());
  }

  @Test
  void hugepageDecisionReadsTheMixedFlagWhichOnlyThePostSetPassUpdates() {
    Kvm k = new Kvm("kvm0", 1, VmType.SW_PROTECTED, BASE, 512, 0);
    FakeCtx c = new FakeCtx();
    lock(k, c, true);
    call(k, c, "kvm_mem_attributes_store", KVM, BASE + 1, BASE + 2, 0);
    assertTrue(!k.hugepageMixed(BASE), "the store alone does not touch lpage_info");
    unlock(k, c, true);
    lock(k, c, false);
    map(k, c, BASE, 0x100600, 9);
    assertEquals(9, k.leafOrder(BASE), "stale flags let a 2M private leaf cover the shared gfn");
    unlock(k, c, false);

    Kvm k2 = new Kvm("kvm0", 1, VmType.SW_PROTECTED, BASE, 512, 0);
    lock(k2, c, true);
    call(k2, c, "kvm_mem_attributes_store", KVM, BASE + 1, BASE + 2, 0);
    call(k2, c, "kvm_arch_post_set_memory_attributes", KVM, BASE + 1, BASE + 2);
    assertTrue(k2.hugepageMixed(BASE));
    unlock(k2, c, true);
    lock(k2, c, false);
    map(k2, c, BASE, 0x100600, 9);
    assertEquals(0, k2.leafOrder(BASE));
  }
}
