package gmemsim.model.program;

import gmemsim.model.dmap.Addr;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.mm.PageTag;
import gmemsim.model.prim.Handles;
import gmemsim.scenario.program.OpArgs;
import java.util.List;

/**
 * The direct-map removal hand-off of seed 001 at the level of set_direct_map_*(): a thread takes a
 * guest page out of the direct map, flushes the TLBs and publishes it to the guest, which writes
 * private data into it, scrubs it, puts the entry back and frees it. Pages are the boot-allocated
 * guest pages, named by number. Each operation calls kernel source (kernel/model/direct_map_handoff.c);
 * the design knobs direct-map.flush, direct-map.zap-error and direct-map.restore-on-free are
 * variant files of it.
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

  /** The hand-off object of page number {@code a.page} to actor {@code to}. */
  private static long handoff(OpArgs a, ActorCtx c, String to) {
    Integer h = c.world().handoffs().get(ProgramBuilder.handoffKey(to, a.count("page", 0, 0, 1 << 16)));
    if (h == null) throw new IllegalStateException("no hand-off of page " + a.count("page", 0, 0, 1 << 16) + " to " + to);
    return Handles.of(h);
  }

  /** The guest's belief about a boot-allocated guest page: the reference its memory holds, of the boot allocation. */
  private static void believeGuestPage(ActorCtx c, int pfn) {
    c.believe(pfn, 0, c.world().bootGen().applyAsLong(pfn));
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
          if (valid) return List.of(c.kernel("set_direct_map_default_noflush", pfn));
          SourcePath zap = c.kernel("set_direct_map_invalid_noflush", pfn);
          c.zapped(pfn, zap);
          return List.of(zap);
        });
  }

  private static Op flushTlbKernelRange() {
    return new SimpleOp(
        spec("flush-tlb-kernel-range", List.of(Param.required("page", "guest page number")),
            "flush_tlb_kernel_range()", "flush the page's direct-map address from every CPU's TLB (IPIs, waits for the acks)"),
        (a, c) -> {
          long va = Addr.pageAddress(page(a, c));
          return List.of(c.kernel("flush_tlb_kernel_range", va, va + World.PAGE_SIZE));
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
          // The zap's result is this task's, read when the publish starts (0 when it made none).
          SourcePath p = c.kernel("publish_zapped_page", handoff(a, c, to), pfn, 0, ignore ? 1 : 0)
              .argAtStart(2, () -> {
                SourcePath zap = c.zap(pfn);
                return zap == null ? 0 : zap.intResult();
              });
          return List.of(p);
        });
  }

  private static Op usePrivatePage() {
    return new SimpleOp(
        spec("use-private-page", List.of(Param.required("page", "guest page number")),
            "the guest's stores through the EPT", "wait for the page to be published, write private data into it, scrub it"),
        (a, c) -> {
          believeGuestPage(c, page(a, c));
          return List.of(c.kernel("use_private_page", handoff(a, c, c.name()), PageTag.guestPrivateNoDirectMap(World.VM_ID)));
        });
  }

  /**
   * The zapper's whole hand-off of one page, with the design knobs deciding its shape (their
   * variant files): take it out of the direct map, flush where direct-map.flush says, publish
   * (also after a failed zap when direct-map.zap-error = ignore).
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
          return List.of(c.kernel("gmem_zap_and_publish", pfn, handoff(a, c, to)));
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
          believeGuestPage(c, pfn);
          return List.of(c.kernel("use_and_free_page", handoff(a, c, c.name()), pfn,
              PageTag.guestPrivateNoDirectMap(World.VM_ID)));
        });
  }

  private static Op freePage() {
    return new SimpleOp(
        spec("free-page", List.of(Param.required("page", "guest page number")),
            "folio_put() (the free_folio() of the page)", "drop the guest's reference: the page goes back to the allocator"),
        (a, c) -> List.of(c.kernel("free_guest_page", page(a, c))));
  }
}
