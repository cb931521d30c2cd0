package gmemsim.model.mm;

import gmemsim.model.thread.Path;

/**
 * The mmu_notifier subscribers of an mm (KVM's kvm_mmu_notifier_invalidate_range_start/end), as
 * the mm paths call them around a change to user PTEs: mmu_notifier_invalidate_range_start()
 * before try_to_migrate() or zap_page_range(), _end() after. Pages are indexes into the VMA.
 */
public interface MmuNotifier {
  Path invalidateRangeStart(int firstPage, int nrPages);

  Path invalidateRangeEnd(int firstPage, int nrPages);
}
