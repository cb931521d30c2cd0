package gmemsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.cpu.Cpu;
import gmemsim.model.cpu.CpuProtocol;
import gmemsim.model.cpu.SpeculativeReadPath;
import gmemsim.model.cpu.Tlb;
import gmemsim.model.dmap.Addr;
import gmemsim.model.dmap.DirectMap;
import gmemsim.model.dmap.DirectMapProtocol;
import gmemsim.model.mm.Memory;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.MmEvents;
import gmemsim.model.mm.PageTag;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The direct map's page tables and a CPU's TLB, driven step by step without a runtime. */
class DirectMapTlbTest {
  private static final int BASE = MachineBuilder.BASE_PFN;

  @Test
  void changingOnePageOfA2mLeafNeedsASplitAndTheSplitInheritsTheLeaf() {
    DirectMap d = new DirectMap("dmap", BASE, 1024, 1L << 21);
    FakeCtx ctx = new FakeCtx();
    d.onMessage(new DirectMapProtocol.CpaSetPresent(BASE + 5, false), ctx);
    assertEquals(DirectMapProtocol.CPA_SPLIT_2M, ctx.lastValue());
    d.onMessage(new DirectMapProtocol.CpaSetPresent(BASE + 5, true), ctx);
    assertEquals(DirectMapProtocol.CPA_UNCHANGED, ctx.lastValue(), "no split when nothing changes");
    d.onMessage(new DirectMapProtocol.CpaSplitLargePage(BASE + 5, DirectMap.LEVEL_2M, BASE + 900), ctx);
    assertEquals(1, ctx.lastValue());
    assertEquals(DirectMap.LEVEL_4K, d.level(BASE + 5));
    assertEquals(DirectMap.LEVEL_2M, d.level(BASE + 600), "the other 2M leaf is untouched");
    assertTrue(d.present(BASE + 7));
    d.onMessage(new DirectMapProtocol.CpaSplitLargePage(BASE + 5, DirectMap.LEVEL_2M, BASE + 901), ctx);
    assertEquals(0, ctx.lastValue(), "a second splitter finds it split and frees its page");
    d.onMessage(new DirectMapProtocol.CpaSetPresent(BASE + 5, false), ctx);
    assertEquals(DirectMapProtocol.CPA_CHANGED, ctx.lastValue());
    assertFalse(d.present(BASE + 5));
    assertTrue(d.present(BASE + 6));
    d.onMessage(new DirectMapProtocol.LookupAddress(Addr.pageAddress(BASE + 5)), ctx);
    assertEquals(-1, ctx.lastValue(), "the walk finds the entry not present");
  }

  @Test
  void aStaleTlbEntryStaysReadableUntilItsCpuHandlesTheFlushIpi() {
    int pfn = BASE + 3;
    long va = Addr.pageAddress(pfn);
    Memory mem = new Memory("mem0", BASE, 1024, 0);
    mem.allocator().allocPages(0, "x");
    mem.pages().setTag(pfn, PageTag.guestPrivateNoDirectMap(1));
    DirectMap dmap = new DirectMap("dmap", BASE, 1024, 4096);
    Topology topo = new Topology(BASE, 1024, new int[] {0});
    Tlb tlb = new Tlb(8);
    tlb.fill(va, pfn); // filled by an earlier walk, before the zap
    Cpu cpu =
        new Cpu("cpu1", tlb, List.of(
            new SpeculativeReadPath(tlb, topo, 1, new int[] {pfn}),
            new SpeculativeReadPath(tlb, topo, 1, new int[] {pfn})));
    FakeCtx ctx = new FakeCtx();

    // The zapper clears the PTE; nobody has flushed yet.
    dmap.onMessage(new DirectMapProtocol.CpaSetPresent(pfn, false), ctx);
    assertFalse(dmap.present(pfn));

    // cpu1 loads: its TLB still translates the VA, the load reaches the page.
    ctx.self = 2;
    cpu.boot(ctx);
    MemoryProtocol.DirectMapLoad load =
        assertInstanceOf(MemoryProtocol.DirectMapLoad.class, ctx.sent.get(ctx.sent.size() - 1).msg());
    assertTrue(load.tlbHit());
    ctx.sender = 2;
    mem.onMessage(load, ctx);
    MmEvents.DirectMapRead read = assertInstanceOf(MmEvents.DirectMapRead.class, ctx.events.get(0));
    assertTrue(PageTag.mustNotBeInDirectMap(read.tag()), "the stale entry still reads the page");

    // The flush IPI arrives while that load is in flight: it waits for the load to retire.
    ctx.sender = 3;
    int before = ctx.sent.size();
    cpu.onMessage(new CpuProtocol.FlushTlbIpi(va, va + 4096, false), ctx);
    assertEquals(before, ctx.sent.size(), "no ack before the load retires");
    assertEquals(pfn, tlb.lookup(va));
    ctx.sender = 0;
    cpu.onMessage(new Ret(read.tag(), 0), ctx); // the load retires; the IPI runs; the next load starts
    assertEquals(-1, tlb.lookup(va), "the IPI removed the entry");
    assertTrue(ctx.sent.stream().anyMatch(s -> s.to() == 3 && s.msg() instanceof Ret), "acked to the flusher");
    Object next = ctx.sent.get(ctx.sent.size() - 1).msg();
    assertInstanceOf(DirectMapProtocol.LookupAddress.class, next, "the next load misses and must walk");
  }
}
