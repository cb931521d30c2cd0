package gmemsim.model.program;

import gmemsim.model.cpu.FlushTlbKernelRangePath;
import gmemsim.model.dmap.Addr;
import gmemsim.model.dmap.GuestPrivatePagePath;
import gmemsim.model.dmap.PageHandoff;
import gmemsim.model.dmap.PublishPath;
import gmemsim.model.dmap.SetDirectMapPath;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.StepListPath;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.program.OpArgs;
import java.util.List;

/**
 * The direct-map removal hand-off of seed 001 at the level of set_direct_map_*(): a thread takes a
 * guest page out of the direct map, flushes the TLBs and publishes it to the guest, which writes
 * private data into it, scrubs it, puts the entry back and frees it. Pages are the boot-allocated
 * guest pages, named by number.
 */
final class DirectMapOps {
  private DirectMapOps() {}

  static List<Op> all() {
    return List.of(setDirectMap(), flushTlbKernelRange(), publish(), usePrivatePage(), freePage(), zapAndPublish(), releasePage());
  }

  private static OpSpec spec(String name, List<Param> params, String upstream, String d) {
    return new OpSpec(name, Domain.KERNEL, params, List.of(), upstream, d);
  }

  static int page(OpArgs a, ActorCtx c) {
    int p = a.count("page", 0, 0, 1 << 16);
    GuestPages g = c.world().guestPages();
    if (g == null || p >= g.count()) throw a.error("page", "no guest page " + p);
    return g.pfn(p);
  }

  private static Op setDirectMap() {
    return new SimpleOp(
        spec("set-direct-map",
            List.of(Param.required("page", "guest page number"), Param.required("valid", "false: take it out (invalid_noflush); true: put it back (default_noflush)")),
            "set_direct_map_invalid_noflush() / set_direct_map_default_noflush(), __change_page_attr_set_clr()",
            "change the page's direct-map entry, splitting a large leaf first (no TLB flush)"),
        (a, c) -> {
          int pfn = page(a, c);
          boolean valid = a.bool("valid", false);
          PageHandoff h = valid ? new PageHandoff() : c.handoff(pfn);
          return List.of(new Call(new SetDirectMapPath(pfn, valid, c.world().topo(), c.world().directMap(), c.world().cpus(), h), () -> 0));
        });
  }

  private static Op flushTlbKernelRange() {
    return new SimpleOp(
        spec("flush-tlb-kernel-range", List.of(Param.required("page", "guest page number")),
            "flush_tlb_kernel_range()", "flush the page's direct-map address from every CPU's TLB (IPIs, waits for the acks)"),
        (a, c) -> {
          long va = Addr.pageAddress(page(a, c));
          return List.of(new Call(new FlushTlbKernelRangePath(c.world().cpus(), va, va + World.PAGE_SIZE), () -> 0));
        });
  }

  private static Op publish() {
    return new SimpleOp(
        spec("publish",
            List.of(Param.required("page", "guest page number"), Param.required("to", "the actor that uses the page"),
                Param.optional("ignore-error", "false", "hand the page over even if taking it out of the direct map failed")),
            "kvm_gmem_get_pfn() returning to the fault", "hand the page to the guest (or the zap's error)"),
        (a, c) -> {
          int pfn = page(a, c);
          String to = a.word("to", null, List.copyOf(c.world().actors().keySet()));
          boolean ignore = a.bool("ignore-error", false);
          return List.of(new Call(new PublishPath(c.world().actors().get(to), pfn, c.handoff(pfn), ignore), () -> 0));
        });
  }

  private static Op usePrivatePage() {
    return new SimpleOp(
        spec("use-private-page", List.of(Param.required("page", "guest page number")),
            "the guest's stores through the EPT", "wait for the page to be published, write private data into it, scrub it"),
        (a, c) -> {
          int pfn = page(a, c);
          return List.of(new Call(new GuestPrivatePagePath(c.world().topo(), World.VM_ID, c.world().bootGen().applyAsLong(pfn)), () -> 0));
        });
  }

  /**
   * The zapper's whole hand-off of one page, with the design knobs deciding its shape: take it out
   * of the direct map, flush where direct-map.flush says, publish (also after a failed zap when
   * direct-map.zap-error = ignore).
   */
  private static Op zapAndPublish() {
    return new SimpleOp(
        spec("zap-and-publish", List.of(Param.required("page", "guest page number"), Param.required("to", "the actor that uses the page")),
            "set_direct_map_invalid_noflush(), flush_tlb_kernel_range(), the fault's return",
            "take the page out of the direct map and hand it to the guest, flushing and handling errors as direct-map.flush"
                + " and direct-map.zap-error say"),
        (a, c) -> {
          int pfn = page(a, c);
          String to = a.word("to", null, List.copyOf(c.world().actors().keySet()));
          String flush = c.world().scenario().string(Knobs.DIRECT_MAP_FLUSH);
          boolean ignore = c.world().scenario().string(Knobs.ZAP_ERROR).equals("ignore");
          long va = Addr.pageAddress(pfn);
          List<Call> out = new java.util.ArrayList<>();
          out.add(new Call(new SetDirectMapPath(pfn, false, c.world().topo(), c.world().directMap(), c.world().cpus(), c.handoff(pfn)), () -> 0));
          if (flush.equals("before-publish")) out.add(new Call(new FlushTlbKernelRangePath(c.world().cpus(), va, va + World.PAGE_SIZE), () -> 0));
          out.add(new Call(new PublishPath(c.world().actors().get(to), pfn, c.handoff(pfn), ignore), () -> 0));
          if (flush.equals("after-publish")) out.add(new Call(new FlushTlbKernelRangePath(c.world().cpus(), va, va + World.PAGE_SIZE), () -> 0));
          return out;
        });
  }

  /** The guest's end of one page: use it, restore its entry if direct-map.restore-on-free says so, free it. */
  private static Op releasePage() {
    return new SimpleOp(
        spec("use-and-free-page", List.of(Param.required("page", "guest page number")),
            "the guest's stores, set_direct_map_default_noflush() in free_folio(), folio_put()",
            "wait for the page, write and scrub it, put its direct-map entry back as direct-map.restore-on-free says, free it"),
        (a, c) -> {
          int pfn = page(a, c);
          boolean restore = c.world().scenario().string(Knobs.RESTORE_ON_FREE).equals("restore");
          List<Call> out = new java.util.ArrayList<>();
          out.add(new Call(new GuestPrivatePagePath(c.world().topo(), World.VM_ID, c.world().bootGen().applyAsLong(pfn)), () -> 0));
          if (restore) out.add(new Call(new SetDirectMapPath(pfn, true, c.world().topo(), c.world().directMap(), c.world().cpus(), new PageHandoff()), () -> 0));
          out.add(new Call(new StepListPath("folio_put",
              List.of(new StepListPath.Step(c.world().topo().memoryFor(pfn), new MemoryProtocol.FolioPut(pfn, 1)))), () -> 0));
          return out;
        });
  }

  private static Op freePage() {
    return new SimpleOp(
        spec("free-page", List.of(Param.required("page", "guest page number")),
            "folio_put() (the free_folio() of the page)", "drop the guest's reference: the page goes back to the allocator"),
        (a, c) -> {
          int pfn = page(a, c);
          return List.of(new Call(new StepListPath("folio_put",
              List.of(new StepListPath.Step(c.world().topo().memoryFor(pfn), new MemoryProtocol.FolioPut(pfn, 1)))), () -> 0));
        });
  }
}
