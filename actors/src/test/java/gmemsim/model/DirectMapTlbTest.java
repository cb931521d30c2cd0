package gmemsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.cpu.Cpu;
import gmemsim.model.cpu.Tlb;
import gmemsim.model.dmap.Addr;
import gmemsim.model.dmap.DirectMap;
import gmemsim.model.exec.KernelEnv;
import gmemsim.model.exec.KernelExterns;
import gmemsim.model.exec.KernelSources;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.mm.Memory;
import gmemsim.model.mm.MmEvents;
import gmemsim.model.mm.PageTag;
import gmemsim.model.prim.Primitives;
import gmemsim.model.prim.Step;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The direct map's page tables and a CPU's TLB, driven step by step without a runtime. */
class DirectMapTlbTest {
  private static final int BASE = MachineBuilder.BASE_PFN;

  /** The built-in kernel source, compiled once. */
  private static final gmemsim.lang.Program BUILT_IN = gmemsim.lang.Compiler.compile(
      List.of(new gmemsim.lang.Compiler.Layer("built in", KernelSources.get().builtIn())), KernelExterns.INSTANCE);

  private static Step step(String primitive, long... args) {
    return new Step(Primitives.byName(primitive).id(), args, null, -1, false, -1);
  }

  private static long va(int pfn) {
    return Addr.pageAddress(pfn);
  }

  private static long lastGhost(FakeCtx ctx) {
    return ((Ret) ctx.sent.get(ctx.sent.size() - 1).msg()).ghost();
  }

  @Test
  void changingOnePageOfA2mLeafNeedsASplitAndTheSplitInheritsTheLeaf() {
    DirectMap d = new DirectMap("dmap", BASE, 1024, 1L << 21);
    FakeCtx ctx = new FakeCtx();
    d.onMessage(step("__change_page_attr_leaf", va(BASE + 5), 1, 0, 0), ctx);
    assertEquals(0, ctx.lastValue(), "a 4K change inside a 2M leaf: split first");
    assertEquals(DirectMap.LEVEL_2M, lastGhost(ctx), "*level: the leaf's");
    d.onMessage(step("__change_page_attr_leaf", va(BASE + 5), 1, 1, 0), ctx);
    assertEquals(1, ctx.lastValue(), "no split when nothing changes: the page is done");
    d.onMessage(step("__change_page_attr_leaf", va(BASE + 5), 1000, 1, 0), ctx);
    assertEquals(512 - 5, ctx.lastValue(), "a kept leaf covers the pages to its end");
    d.onMessage(step("__split_large_page_locked", va(BASE + 5), DirectMap.LEVEL_2M, BASE + 900), ctx);
    assertEquals(0, ctx.lastValue());
    assertEquals(DirectMap.LEVEL_4K, d.level(BASE + 5));
    assertEquals(DirectMap.LEVEL_2M, d.level(BASE + 600), "the other 2M leaf is untouched");
    assertTrue(d.present(BASE + 7));
    d.onMessage(step("__split_large_page_locked", va(BASE + 5), DirectMap.LEVEL_2M, BASE + 901), ctx);
    assertEquals(1, ctx.lastValue(), "a second splitter finds it split and frees its page");
    d.onMessage(step("__change_page_attr_leaf", va(BASE + 5), 1, 0, 0), ctx);
    assertEquals(1, ctx.lastValue());
    assertFalse(d.present(BASE + 5));
    assertTrue(d.present(BASE + 6));
    d.onMessage(step("__change_page_attr_leaf", va(BASE + 512), 512, 0, 0), ctx);
    assertEquals(512, ctx.lastValue(), "a request covering a whole 2M leaf changes it in place");
    assertEquals(DirectMap.LEVEL_2M, d.level(BASE + 600));
    assertFalse(d.present(BASE + 600));
    d.onMessage(step("__page_walk", va(BASE + 5)), ctx);
    assertEquals(-1, ctx.lastValue(), "the walk finds the entry not present");
    d.onMessage(step("__page_walk", va(BASE + 6)), ctx);
    assertEquals(BASE + 6, ctx.lastValue());
  }

  @Test
  void a256gMapKeepsItsTablesPerPudAndReportsExactlyTheAbsentPages() {
    int pages = 1 << 26; // 256G of 4K pages, mapped with 1G leaves
    DirectMap d = new DirectMap("dmap", BASE, pages, 1L << 30);
    FakeCtx ctx = new FakeCtx();
    int far = BASE + pages - (1 << 18) + 3 * 512 + 7; // in the last PUD, its fourth PMD
    d.onMessage(step("__split_large_page_locked", va(far), DirectMap.LEVEL_1G, BASE), ctx);
    assertEquals(DirectMap.LEVEL_2M, d.level(far));
    assertEquals(DirectMap.LEVEL_1G, d.level(BASE + 5), "the other PUDs keep their 1G leaves");
    d.onMessage(step("__split_large_page_locked", va(far), DirectMap.LEVEL_2M, BASE + 1), ctx);
    d.onMessage(step("__change_page_attr_leaf", va(far), 1, 0, 0), ctx);
    assertFalse(d.present(far));
    assertTrue(d.present(far + 1));
    int pmdStart = far - 7 + 512; // the next 2M leaf, cleared whole in place
    d.onMessage(step("__change_page_attr_leaf", va(pmdStart), 512, 0, 0), ctx);
    d.onQuiescence(ctx);
    int[] absent = ctx.events.stream().filter(e -> e instanceof BalanceEvents.DirectMapAbsentAtEnd)
        .map(e -> ((BalanceEvents.DirectMapAbsentAtEnd) e).pfns()).findFirst().orElseThrow();
    assertEquals(513, absent.length);
    assertEquals(far, absent[0]);
    assertEquals(pmdStart, absent[1]);
    assertEquals(pmdStart + 511, absent[512]);
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
    List<Component> comps = new ArrayList<>(List.of(mem, dmap));
    KernelEnv env = new KernelEnv(BUILT_IN, topo, comps);
    env.singleton(DirectMap.class, 1);
    Cpu cpu = new Cpu("cpu1", tlb, List.of(
        new SourcePath(env, "speculative_read", pfn, 1, BASE, 1),
        new SourcePath(env, "speculative_read", pfn, 1, BASE, 1)));
    comps.add(cpu);
    FakeCtx ctx = new FakeCtx();

    // The zapper clears the PTE; nobody has flushed yet.
    dmap.onMessage(step("__change_page_attr_leaf", va, 1, 0, 0), ctx);
    assertFalse(dmap.present(pfn));

    // cpu1 loads: its TLB still translates the VA (no step), the load reaches the page.
    ctx.self = 2;
    cpu.boot(ctx);
    FakeCtx.Sent sent = ctx.sent.get(ctx.sent.size() - 1);
    Step load = (Step) sent.msg();
    assertEquals("__direct_map_load", load.step());
    assertEquals(0, sent.to(), "to the memory that holds the page");
    assertEquals(1, load.args()[2], "a TLB hit");
    ctx.sender = 2;
    mem.onMessage(load, ctx);
    MmEvents.DirectMapRead read = (MmEvents.DirectMapRead) ctx.events.get(0);
    assertTrue(PageTag.mustNotBeInDirectMap(read.tag()), "the stale entry still reads the page");

    // The flush IPI arrives while that load is in flight: it waits for the load to retire.
    ctx.sender = 3;
    int before = ctx.sent.size();
    cpu.onMessage(step("do_kernel_range_flush", va, va + 4096), ctx);
    assertEquals(before, ctx.sent.size(), "no ack before the load retires");
    assertEquals(pfn, tlb.lookup(va));
    ctx.sender = 0;
    cpu.onMessage(new Ret(read.tag(), 0), ctx); // the load retires; the IPI runs; the next load starts
    assertEquals(-1, tlb.lookup(va), "the IPI removed the entry");
    assertTrue(ctx.sent.stream().anyMatch(s -> s.to() == 3 && s.msg() instanceof Ret), "acked to the flusher");
    FakeCtx.Sent next = ctx.sent.get(ctx.sent.size() - 1);
    assertEquals("__page_walk", next.msg().step(), "the next load misses and must walk");
    assertEquals(1, next.to());
  }
}
