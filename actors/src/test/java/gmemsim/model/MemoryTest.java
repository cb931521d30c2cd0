package gmemsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.mm.Memory;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.MmEvents;
import org.junit.jupiter.api.Test;

/** One message, one atomic step: the memory component driven without any runtime. */
class MemoryTest {
  private static final int BASE = 0x100000;
  private final Memory mem = new Memory("mem0", BASE, 1024, 0);
  private final FakeCtx ctx = new FakeCtx();

  @Test
  void pageFolioReturnsTheHeadOfATail() {
    int h = mem.allocator().allocPages(9, "c1");
    mem.onMessage(new MemoryProtocol.PageFolio(h + 17), ctx);
    assertEquals(h, ctx.lastValue());
    assertEquals(1, ctx.sent.get(0).to(), "the reply goes to the sender");
  }

  @Test
  void lastPutFreesAndReportsTheFact() {
    int h = mem.allocator().allocPages(0, "c1");
    mem.onMessage(new MemoryProtocol.FolioPut(h, 1), ctx);
    assertTrue(mem.pages().isFree(h));
    MmEvents.RefPut put = assertInstanceOf(MmEvents.RefPut.class, ctx.events.get(0));
    assertEquals(1, put.countBefore());
    assertTrue(put.held());
  }

  @Test
  void aSecondPutUnderflowsWithoutFreeingAgain() {
    int h = mem.allocator().allocPages(0, "c1");
    mem.onMessage(new MemoryProtocol.FolioPut(h, 1), ctx);
    int free = mem.allocator().freePages();
    mem.onMessage(new MemoryProtocol.FolioPut(h, 1), ctx);
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
    mem.onMessage(new MemoryProtocol.FolioLock(h), ctx);
    assertEquals(1, ctx.sent.size());
    ctx.sender = 2;
    mem.onMessage(new MemoryProtocol.FolioLock(h), ctx);
    assertEquals(1, ctx.sent.size(), "the second locker sleeps: no reply yet");
    ctx.sender = 1;
    mem.onMessage(new MemoryProtocol.FolioUnlock(h), ctx);
    assertEquals(2, ctx.sent.get(1).to(), "the waiter is woken with the lock");
    assertTrue(mem.pages().isLocked(h));
  }

  @Test
  void accessReportsWhichFolioReallyContainsThePage() {
    int h = mem.allocator().allocPages(1, "c1");
    mem.pages().folioRefFreeze(h, 1);
    mem.pages().splitOffNewFolio(h + 1, 0, h);
    mem.onMessage(new MemoryProtocol.PageWrite(h + 1, h, mem.pages().gen(h), 5, "guest"), ctx);
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
