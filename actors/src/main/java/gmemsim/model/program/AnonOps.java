package gmemsim.model.program;

import gmemsim.model.exec.SourcePath;

import gmemsim.model.prim.Handles;
import gmemsim.scenario.program.OpArgs;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 004 on anonymous guest RAM: a split of a PTE-mapped THP (reclaim or migration holding the
 * isolation reference), vCPU faults through gup-fast with kvm.try-get-pfn's get, the VMM's munmap,
 * and kernel users that allocate and write pages (reusing what a free returned).
 */
final class AnonOps {
  private AnonOps() {}

  static List<Op> all() {
    return List.of(splitFolio(), munmap(), putFolios(), gupFault(), kernelPageUse());
  }

  static AnonRam anon(OpArgs a, ActorCtx c) {
    AnonRam r = c.world().anon();
    if (r == null) throw a.error(null, "no anonymous guest RAM");
    return r;
  }

  private static Op splitFolio() {
    return new SimpleOp(
        new OpSpec("split-folio", Domain.KERNEL,
            List.of(Param.required("folio", "folio number (0 .. folio.count - 1)"), Param.optional("new-order", "0", "order of the pieces"),
                Param.optional("attempts", "1", "tries while the refcount does not allow it")),
            List.of(), "__folio_split() via split_huge_page_to_list_to_order()",
            "split one of the anonymous THPs: anon_vma lock, unmap to migration entries, freeze, split, remap"),
        (a, c) -> {
          AnonRam r = anon(a, c);
          int f = a.count("folio", 0, 0, r.heads().size() - 1);
          int newOrder = a.count("new-order", 0, 0, 10);
          int attempts = a.count("attempts", 1, 1, 1000);
          if (newOrder >= r.order()) throw a.error("new-order", newOrder + " is not below folio.order " + r.order());
          if (!c.name().equals(r.owner())) throw a.error(null, "the split needs the isolation reference: only " + r.owner() + " (who runs put-folios) holds it");
          if (newOrder != 0) throw a.error("new-order", "only a split to order 0 (split_folio()) is modelled");
          return List.of(c.kernel("reclaim_split_folio", r.heads().get(f), Handles.of(r.mm()), (long) f << r.order(), attempts));
        });
  }

  private static Op munmap() {
    return new SimpleOp(
        new OpSpec("munmap", Domain.KERNEL, List.of(), List.of(), "munmap(), zap_pte_range(), mmu_notifier_invalidate_range_start()",
            "the VMM unmaps its guest RAM (KVM's notifier zaps the EPT first)"),
        (a, c) -> {
          AnonRam r = anon(a, c);
          return List.of(c.kernel("vmm_munmap", Handles.of(r.mm()), 0, r.pfnPool().length));
        });
  }

  private static Op putFolios() {
    return new SimpleOp(
        new OpSpec("put-folios", Domain.KERNEL, List.of(), List.of(), "folio_put() (putback of the isolated folios)",
            "drop the isolation reference held on every folio since boot"),
        (a, c) -> {
          AnonRam r = anon(a, c);
          List<SourcePath> puts = new ArrayList<>();
          for (int f : r.heads()) puts.add(c.kernel("putback_folio", f));
          return puts;
        });
  }

  private static Op gupFault() {
    return new SimpleOp(
        new OpSpec("gup-fault", Domain.GUEST,
            List.of(Param.optional("writes", "1", "guest stores to the page once it is mapped"),
                Param.optional("access", "fault", "fault (EPT violation through gup-fast) | vcpu-map (kvm_vcpu_map, KVM writes)")),
            List.of(), "kvm_faultin_pfn(), hva_to_pfn_fast(), gup_fast_pte_range(), kvm_release_faultin_page()",
            "a vCPU faults a random page of the anonymous guest RAM in through gup-fast (kvm.try-get-pfn's get)"),
        (a, c) -> {
          AnonRam r = anon(a, c);
          int writes = a.count("writes", 1, 0, 64);
          boolean map = a.word("access", "fault", List.of("fault", "vcpu-map")).equals("vcpu-map");
          long kvm = Handles.of(r.binding().kvm());
          return List.of(c.kernel(map ? "kvm_vcpu_map_and_write" : "guest_fault_and_store", kvm, r.pfnPool().length, writes));
        });
  }

  private static Op kernelPageUse() {
    return new SimpleOp(
        new OpSpec("kernel-page-use", Domain.KERNEL, List.of(Param.optional("range", "0", "memory range to allocate from")), List.of(),
            "alloc_pages(), a write, __free_pages()", "a kernel user allocates a page (reusing what a free returned), writes it, frees it"),
        (a, c) -> {
          int range = a.count("range", 0, 0, c.world().topo().ranges() - 1);
          return List.of(c.kernel("kernel_page_user", range));
        });
  }
}
