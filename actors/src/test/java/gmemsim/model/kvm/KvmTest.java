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

  private static Kvm tdx(double splitFail) {
    return new Kvm("kvm0", 1, VmType.TDX, BASE, 512, splitFail);
  }

  private static void map2m(Kvm k, FakeCtx c) {
    k.mmuLock(new KvmProtocol.MmuLock(false), c);
    k.tdpMmuMap(new KvmProtocol.TdpMmuMap(BASE + 5, 0x100605, 3, 9, true, false), c);
    assertEquals(9, c.last(), "a 2M folio with uniform attributes maps at 2M");
    k.mmuUnlock(new KvmProtocol.MmuUnlock(false), c);
    k.tdgMemPageAccept(new KvmProtocol.TdgMemPageAccept(BASE), c);
  }

  private static long zap(Kvm k, FakeCtx c, boolean split) {
    k.mmuLock(new KvmProtocol.MmuLock(true), c);
    k.mmuInvalidateBegin(c);
    k.mmuInvalidateRangeAdd(new KvmProtocol.MmuInvalidateRangeAdd(BASE + 1, BASE + 2), c);
    long r = 0;
    if (split) {
      k.splitCrossBoundaryLeafs(new KvmProtocol.SplitCrossBoundaryLeafs(BASE + 1, BASE + 2), c);
      r = c.last();
    }
    if (r == 0) k.mmuUnmapGfnRange(new KvmProtocol.MmuUnmapGfnRange(BASE + 1, BASE + 2, true, false, BASE + 1, BASE + 2), c);
    return r;
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
    k.mmuLock(new KvmProtocol.MmuLock(true), c);
    k.mmuInvalidateBegin(c);
    k.mmuInvalidateRangeAdd(new KvmProtocol.MmuInvalidateRangeAdd(BASE + 1, BASE + 2), c);
    k.mmuInvalidateRetryGfn(new KvmProtocol.MmuInvalidateRetryGfn(BASE + 1, 0, true), c);
    assertEquals(1, c.last());
    k.mmuInvalidateRetryGfn(new KvmProtocol.MmuInvalidateRetryGfn(BASE + 2, 0, true), c);
    assertEquals(0, c.last(), "a gfn outside the range passes while the sequence has not moved");
    k.mmuInvalidateEnd(c);
    k.mmuInvalidateRetryGfn(new KvmProtocol.MmuInvalidateRetryGfn(BASE + 2, 0, true), c);
    assertEquals(1, c.last(), "the sequence moved");
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
    k.mmuLock(new KvmProtocol.MmuLock(true), c);
    k.mmuInvalidateBegin(c);
    k.mmuInvalidateRangeAdd(new KvmProtocol.MmuInvalidateRangeAdd(BASE + 1, BASE + 2), c);
    if (mainline) k.rangeAddHugepages(new KvmProtocol.MmuInvalidateRangeAddHugepages(BASE + 1, BASE + 2), c);
    k.mmuUnlock(new KvmProtocol.MmuUnlock(true), c);
  }

  /** mmu_invalidate_retry_gfn(BASE, seq 0) under read mmu_lock: 1 means the fault retries. */
  private static long retryAtBlockHead(Kvm k, FakeCtx c) {
    k.mmuLock(new KvmProtocol.MmuLock(false), c);
    k.mmuInvalidateRetryGfn(new KvmProtocol.MmuInvalidateRetryGfn(BASE, 0, false), c);
    long v = c.last();
    k.mmuUnlock(new KvmProtocol.MmuUnlock(false), c);
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
    k.mmuLock(new KvmProtocol.MmuLock(true), c);
    k.mmuInvalidateBegin(c);
    k.mmuInvalidateRangeAdd(new KvmProtocol.MmuInvalidateRangeAdd(BASE, BASE + 512), c);
    k.rangeAddHugepages(new KvmProtocol.MmuInvalidateRangeAddHugepages(BASE, BASE + 512), c);
    assertEquals(List.of(BASE, BASE + 512), java.util.Arrays.stream(k.invalidateRange()).boxed().toList());
  }

  @Test
  void hugepageDecisionReadsTheMixedFlagWhichOnlyThePostSetPassUpdates() {
    Kvm k = new Kvm("kvm0", 1, VmType.SW_PROTECTED, BASE, 512, 0);
    FakeCtx c = new FakeCtx();
    k.mmuLock(new KvmProtocol.MmuLock(true), c);
    k.setMemAttributes(new KvmProtocol.SetMemAttributes(BASE + 1, BASE + 2, false), c);
    assertTrue(!k.hugepageMixed(BASE), "the store alone does not touch lpage_info");
    k.mmuUnlock(new KvmProtocol.MmuUnlock(true), c);
    k.mmuLock(new KvmProtocol.MmuLock(false), c);
    k.tdpMmuMap(new KvmProtocol.TdpMmuMap(BASE, 0x100600, 3, 9, true, false), c);
    assertEquals(9, k.leafOrder(BASE), "stale flags let a 2M private leaf cover the shared gfn");
    k.mmuUnlock(new KvmProtocol.MmuUnlock(false), c);

    Kvm k2 = new Kvm("kvm0", 1, VmType.SW_PROTECTED, BASE, 512, 0);
    k2.mmuLock(new KvmProtocol.MmuLock(true), c);
    k2.setMemAttributes(new KvmProtocol.SetMemAttributes(BASE + 1, BASE + 2, false), c);
    k2.postSetMemoryAttributes(new KvmProtocol.KvmArchPostSetMemoryAttributes(BASE + 1, BASE + 2), c);
    assertTrue(k2.hugepageMixed(BASE));
    k2.mmuUnlock(new KvmProtocol.MmuUnlock(true), c);
    k2.mmuLock(new KvmProtocol.MmuLock(false), c);
    k2.tdpMmuMap(new KvmProtocol.TdpMmuMap(BASE, 0x100600, 3, 9, true, false), c);
    assertEquals(0, k2.leafOrder(BASE));
  }
}
