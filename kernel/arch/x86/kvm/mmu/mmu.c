/*
 * models parts of arch/x86/kvm/mmu/mmu.c (gregkh/linux f1f8a95d): a TDP MMU page fault,
 * kvm_tdp_page_fault() -> kvm_tdp_mmu_page_fault() -> kvm_mmu_faultin_pfn() (the
 * mmu_invalidate_seq snapshot, the attribute check, the lockless pre-checks around the pfn
 * lookup: guest_memfd's kvm_gmem_get_pfn() for a private fault, the host mapping's otherwise),
 * then under read mmu_lock the locked retry check, kvm_tdp_mmu_map() and the release of the page
 * before read_unlock(); kvm_tdp_map_page() for TDX's populate. No struct kvm_page_fault: its
 * fields are the locals and arguments here; write faults only. The hugepage decision
 * (kvm_mmu_hugepage_adjust()) and, for a TD, the S-EPT's AUG or ADD are inside the primitive
 * kvm_tdp_mmu_map().
 */

#define RET_PF_CONTINUE		0
#define RET_PF_RETRY		1
#define RET_PF_EMULATE		2
#define RET_PF_WRITE_PROTECTED	3
#define RET_PF_INVALID		4
#define RET_PF_FIXED		5
#define RET_PF_SPURIOUS		6

/* kvm_handle_error_pfn() */
static int kvm_handle_error_pfn(kvm_pfn_t pfn)
{
	if (pfn == KVM_PFN_ERR_SIGPENDING)
		return -EINTR;
	if (pfn == KVM_PFN_ERR_RO_FAULT)
		return RET_PF_EMULATE;
	if (pfn == KVM_PFN_ERR_HWPOISON)
		return RET_PF_RETRY;
	return -EFAULT;
}

/*
 * kvm_mmu_prepare_memory_fault_exit(): KVM_RUN returns to userspace with
 * KVM_EXIT_MEMORY_FAULT for the gfn
 */
static void kvm_mmu_prepare_memory_fault_exit(gfn_t gfn, bool is_private)
{
	kvm_prepare_memory_fault_exit(gfn, is_private);
}

/*
 * kvm_mmu_faultin_pfn_private(): the pfn from guest_memfd with a reference, and the largest
 * order a mapping of it may have (kvm_max_private_mapping_level(): the folio's). A failed lookup
 * is a memory-fault exit upstream; the model's VMM stops the VM on it instead of reading the exit,
 * so only the attribute mismatch reports one here.
 */
static int kvm_mmu_faultin_pfn_private(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn, kvm_pfn_t *pfn,
				       struct page **page, int *max_order)
{
	int r;

	r = kvm_gmem_get_pfn(kvm, slot, gfn, pfn, page, max_order);
	if (r)
		return r;
	return RET_PF_CONTINUE;
}

/*
 * __kvm_mmu_faultin_pfn(): a private fault asks guest_memfd; otherwise the host mapping, whose
 * first lookup may not wait (FOLL_NOWAIT); when it would have to, kvm_arch_setup_async_pf() sends
 * the vCPU back to the guest and the fault retries later (the model takes async page faults as
 * always possible).
 */
static int __kvm_mmu_faultin_pfn(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn, bool is_private,
				 kvm_pfn_t *pfn, struct page **page, int *max_order)
{
	if (is_private)
		return kvm_mmu_faultin_pfn_private(kvm, slot, gfn, pfn, page, max_order);

	*pfn = __kvm_faultin_pfn(kvm, slot, gfn, FOLL_WRITE | FOLL_NOWAIT, page);
	if (*pfn != KVM_PFN_ERR_NEEDS_IO)
		return RET_PF_CONTINUE;
	return RET_PF_RETRY;
}

/* kvm_mmu_faultin_pfn(): the page to map, with the sequence the locked check compares */
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

	if (mmu_invalidate_retry_gfn_unsafe(kvm, *mmu_seq, gfn))
		return RET_PF_RETRY;

	ret = __kvm_mmu_faultin_pfn(kvm, slot, gfn, is_private, pfn, page, max_order);
	if (ret != RET_PF_CONTINUE)
		return ret;

	if (is_error_pfn(*pfn))
		return kvm_handle_error_pfn(*pfn);

	if (mmu_invalidate_retry_gfn_unsafe(kvm, *mmu_seq, gfn)) {
		kvm_release_faultin_page(kvm, *page, true, false);
		return RET_PF_RETRY;
	}
	return RET_PF_CONTINUE;
}

/* is_page_fault_stale(): the authoritative retry check, under mmu_lock */
static bool is_page_fault_stale(struct kvm *kvm, gfn_t gfn, unsigned long mmu_seq)
{
	return mmu_invalidate_retry_gfn(kvm, mmu_seq, gfn);
}

/* kvm_mmu_finish_page_fault() */
static void kvm_mmu_finish_page_fault(struct kvm *kvm, struct page *page, int r)
{
	kvm_release_faultin_page(kvm, page, r == RET_PF_RETRY, true);
}

/*
 * kvm_tdp_mmu_page_fault(). added: the mapping is TDX populate's, which the TDX module adds
 * (TDH.MEM.PAGE.ADD, accepted) instead of augmenting (TDH.MEM.PAGE.AUG, pending).
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
	read_lock(&kvm->mmu_lock);

	if (is_page_fault_stale(kvm, gfn, mmu_seq))
		goto out_unlock;

	kvm_tdp_mmu_map(kvm, gfn, pfn, max_order, is_private, added);
	r = RET_PF_FIXED;

out_unlock:
	kvm_mmu_finish_page_fault(kvm, page, r);
	read_unlock(&kvm->mmu_lock);
	return r;
}

/* kvm_tdp_page_fault(): the TDP MMU is on */
int kvm_tdp_page_fault(struct kvm *kvm, gfn_t gfn, bool is_private)
{
	return kvm_tdp_mmu_page_fault(kvm, gfn, is_private, false);
}

/*
 * kvm_tdp_map_page(): a private fault made by KVM itself for populate, taken again while it says
 * RET_PF_RETRY (no signal is ever pending in the model). Upstream's cond_resched() comes before
 * each try; here before each try again, where it marks the spin.
 */
int kvm_tdp_map_page(struct kvm *kvm, gfn_t gfn)
{
	int r;

	r = kvm_tdp_mmu_page_fault(kvm, gfn, true, true);
	while (r == RET_PF_RETRY) {
		cond_resched();
		r = kvm_tdp_mmu_page_fault(kvm, gfn, true, true);
	}

	if (r < 0)
		return r;
	return 0;
}

/*
 * kvm_arch_pre_set_memory_attributes(): zap what the change turns into the other kind (a change
 * to private zaps the shared SPTEs, to shared the private ones); since commit 9129633d568e
 * (May 2025) also add the partly covered 2M blocks at both ends to the invalidation range. For a
 * TD going private to shared, the TDX huge-page series first splits the leaves that cross the
 * range's ends, and a failed split is the error the ioctl returns. Returns the error, or whether
 * anything was zapped (a flush is due).
 */
int kvm_arch_pre_set_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end, bool to_private)
{
	int r;

	kvm_arch_pre_set_memory_attributes_hugepages(kvm, start, end);
	if (kvm->vm_type == KVM_X86_TDX_VM && !to_private) {
		r = kvm_split_cross_boundary_leafs(kvm, start, end);
		if (r)
			return r;
	}
	return kvm_mmu_unmap_gfn_range(kvm, start, end, to_private ? KVM_FILTER_SHARED : KVM_FILTER_PRIVATE, start, end);
}
