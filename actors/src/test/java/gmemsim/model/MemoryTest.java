package gmemsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.mm.Memory;
import gmemsim.model.mm.MmEvents;
import gmemsim.model.prim.Primitives;
import gmemsim.model.prim.Step;
import org.junit.jupiter.api.Test;

/** One message, one atomic step: the memory component driven without any runtime. */
class MemoryTest {
  private static final int BASE = 0x100000;
  private final Memory mem = new Memory("mem0", BASE, 1024, 0);
  private final FakeCtx ctx = new FakeCtx();

  /** The step a kernel path sends for one call of primitive, from the sender's own references. */
  private static Step step(String primitive, long... args) {
    return new Step(Primitives.byName(primitive).id(), args, null, -1, false, -1);
  }

  @Test
  void pageFolioReturnsTheHeadOfATail() {
    int h = mem.allocator().allocPages(9, "c1");
    mem.onMessage(step("page_folio", h + 17), ctx);
    assertEquals(h, ctx.lastValue());
    assertEquals(1, ctx.sent.get(0).to(), "the reply goes to the sender");
  }

  @Test
  void lastPutFreesAndReportsTheFact() {
    int h = mem.allocator().allocPages(0, "c1");
    mem.onMessage(step("folio_put", h), ctx);
    assertTrue(mem.pages().isFree(h));
    MmEvents.RefPut put = assertInstanceOf(MmEvents.RefPut.class, ctx.events.get(0));
    assertEquals(1, put.countBefore());
    assertTrue(put.held());
  }

  @Test
  void aSecondPutUnderflowsWithoutFreeingAgain() {
    int h = mem.allocator().allocPages(0, "c1");
    mem.onMessage(step("folio_put", h), ctx);
    int free = mem.allocator().freePages();
    mem.onMessage(step("folio_put", h), ctx);
    assertEquals(-1, mem.pages().refcount(h));
    assertEquals(free, mem.allocator().freePages(), "a page is never freed twice");
    MmEvents.RefPut put = assertInstanceOf(MmEvents.RefPut.class, ctx.events.get(1));
    assertEquals(0, put.countBefore());
    assertFalse(put.held());
  }

  @Test
  void folioLockQueuesWaitersAndHandsTheLockOver() {
    int h = mem.allocator().allocPages(0, "c1");
    ctx.sender = 1;
    mem.onMessage(step("folio_lock", h), ctx);
    assertEquals(1, ctx.sent.size());
    ctx.sender = 2;
    mem.onMessage(step("folio_lock", h), ctx);
    assertEquals(1, ctx.sent.size(), "the second locker sleeps: no reply yet");
    ctx.sender = 1;
    mem.onMessage(step("folio_unlock", h), ctx);
    assertEquals(2, ctx.sent.get(1).to(), "the waiter is woken with the lock");
    assertTrue(mem.pages().isLocked(h));
  }

  @Test
  void accessReportsWhichFolioReallyContainsThePage() {
    int h = mem.allocator().allocPages(1, "c1");
    mem.pages().folioRefFreeze(h, 1);
    mem.pages().splitOffNewFolio(h + 1, 0, h);
    // The guest writes under the reference it believes it holds on h: the ghosts carry that belief.
    long[] belief = {h, mem.pages().gen(h)};
    mem.onMessage(new Step(Primitives.byName("__guest_write").id(), new long[] {h + 1, 5}, belief, -1, false, -1), ctx);
    MmEvents.PageAccess a = assertInstanceOf(MmEvents.PageAccess.class, ctx.events.get(0));
    assertEquals(h, a.claimedFolio());
    assertEquals(h + 1, a.actualFolio());
  }

  @Test
  void quiescenceReportsFoliosStillAllocated() {
    int h = mem.allocator().allocPages(3, "c1");
    mem.onQuiescence(ctx);
    MmEvents.RefLeftover l = assertInstanceOf(MmEvents.RefLeftover.class, ctx.events.get(0));
    assertEquals(h, l.folio());
    assertEquals(1, ctx.events.size(), "tails are not separate folios");
  }
}
