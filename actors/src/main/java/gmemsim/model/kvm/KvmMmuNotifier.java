package gmemsim.model.kvm;

import gmemsim.model.gmem.KvmGmemInvalidateBeginPath;
import gmemsim.model.gmem.KvmGmemInvalidateEndPath;
import gmemsim.model.mm.MmuNotifier;
import gmemsim.model.thread.Path;

/**
 * KVM's mmu_notifier subscription on the VMM's mm (virt/kvm/kvm_main.c
 * kvm_mmu_notifier_invalidate_range_start/_end): memslot page i is VMA page i.
 */
public record KvmMmuNotifier(KvmBinding b) implements MmuNotifier {
  @Override
  public Path invalidateRangeStart(int firstPage, int nrPages) {
    return KvmGmemInvalidateBeginPath.mmuNotifierInvalidateRangeStart(b, firstPage, firstPage + nrPages);
  }

  @Override
  public Path invalidateRangeEnd(int firstPage, int nrPages) {
    return KvmGmemInvalidateEndPath.of(b);
  }
}
