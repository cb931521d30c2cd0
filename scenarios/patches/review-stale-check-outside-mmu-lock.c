/*
 * Reviewer question: "is_page_fault_stale() only reads mmu_invalidate_seq and the invalidation
 * range; could kvm_tdp_mmu_page_fault() check it before it takes mmu_lock, and hold the lock for
 * the map alone?" The check moved out of the critical section: a stale fault returns before the
 * lock, and mmu_lock is taken around kvm_tdp_mmu_map() only.
 *
 * Answer (unmap-vs-tryget, variant stale-check-outside-mmu-lock, with mainline's gup-fast): no.
 * An munmap() whose kvm_mmu_notifier_invalidate_range_start() runs between the check and the
 * read_lock() zaps the SPTEs before the fault maps, so the fault installs a mapping of a page the
 * VMM is freeing, and the guest writes it after it has been reused: use-after-free. The check
 * also reads the invalidation range while the notifier is half way through setting it, the
 * WARN_ON_ONCE(mmu_invalidate_range_start == INVALID_GPA) that upstream keeps for exactly this
 * (mmu_invalidate_retry_gfn() asserts mmu_lock is held): warn. Only mmu_lock orders the check
 * against the notifier's count and zap.
 *   ./gmemsim run scenarios/unmap-vs-tryget.conf --variant stale-check-outside-mmu-lock
 */
static int kvm_tdp_mmu_page_fault(struct kvm *kvm, gfn_t gfn, bool is_private, bool added)
{
	struct page *page = NULL;
	unsigned long mmu_seq;
	int max_order = 0;
	kvm_pfn_t pfn;
	int r;

	r = kvm_mmu_faultin_pfn(kvm, gfn, is_private, &mmu_seq, &pfn, &page, &max_order);
	if (r != RET_PF_CONTINUE)
		return r;

	r = RET_PF_RETRY;
	if (is_page_fault_stale(kvm, gfn, mmu_seq)) {
		kvm_mmu_finish_page_fault(kvm, page, r);
		return r;
	}

	read_lock(&kvm->mmu_lock);
	kvm_tdp_mmu_map(kvm, gfn, pfn, max_order, is_private, added);
	r = RET_PF_FIXED;
	kvm_mmu_finish_page_fault(kvm, page, r);
	read_unlock(&kvm->mmu_lock);
	return r;
}
