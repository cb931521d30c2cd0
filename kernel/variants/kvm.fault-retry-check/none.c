/*
 * variant kvm.fault-retry-check = none: no retry check at all: the fault installs whatever the
 * pfn lookup returned, however stale.
 *
 * models arch/x86/kvm/mmu/mmu.c is_page_fault_stale() and kvm_mmu_faultin_pfn() (gregkh/linux
 * f1f8a95d) with both mmu_invalidate_retry_gfn_unsafe() pre-checks and the locked
 * mmu_invalidate_retry_gfn() dropped: a design no posting proposes, kept to show what the checks
 * are for (race 3).
 */
static bool is_page_fault_stale(struct kvm *kvm, gfn_t gfn, unsigned long mmu_seq)
{
	return false;
}

static int kvm_mmu_faultin_pfn(struct kvm *kvm, gfn_t gfn, bool is_private, unsigned long *mmu_seq, kvm_pfn_t *pfn,
			       struct page **page, int *max_order)
{
	struct kvm_memory_slot *slot = gfn_to_memslot(kvm, gfn);
	int ret;

	*mmu_seq = mmu_invalidate_seq(kvm);
	smp_rmb();

	if (is_private != kvm_mem_is_private(kvm, gfn)) {
		kvm_mmu_prepare_memory_fault_exit(gfn, is_private);
		return -EFAULT;
	}
	if (!slot)
		return -EFAULT;

	ret = __kvm_mmu_faultin_pfn(kvm, slot, gfn, is_private, pfn, page, max_order);
	if (ret != RET_PF_CONTINUE)
		return ret;

	if (is_error_pfn(*pfn))
		return kvm_handle_error_pfn(*pfn);
	return RET_PF_CONTINUE;
}
