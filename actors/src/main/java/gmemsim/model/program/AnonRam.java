package gmemsim.model.program;

import gmemsim.model.kvm.KvmBinding;
import java.util.List;

/**
 * The VMM's guest RAM as anonymous memory (seed 004 made upstream-reachable): {@code folio.count}
 * folios of {@code folio.order}, PTE-mapped in the VMM's mm ("mm0") one page per VMA page, a VM
 * ("kvm0") with one memslot over that VMA and KVM's mmu_notifier on the mm. Reclaim's isolation
 * reference on each folio is held by {@code owner} (the actor that splits and puts them).
 */
public record AnonRam(int mm, String mmHolder, int[] pfnPool, List<Integer> heads, int order, KvmBinding binding,
    String owner) {}
