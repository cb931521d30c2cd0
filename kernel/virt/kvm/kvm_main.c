/*
 * models parts of virt/kvm/kvm_main.c (torvalds/linux 01f492e1): the host-pfn lookup of a
 * memslot backed by the VMM's anonymous memory (hva_to_pfn()), the mmu_notifier callbacks that
 * keep the EPT in step with the VMM's page tables, and the remote TLB flush. One memslot, one
 * address space; SRCU, mn_active_invalidate_count and gfn_to_pfn caches are not modelled (no
 * modelled path updates memslots or uses a pfn cache).
 */

/* kvm_flush_remote_tlbs(): KVM_REQ_TLB_FLUSH to every vCPU, and wait until each has flushed */
void kvm_flush_remote_tlbs(struct kvm *kvm)
{
	kvm_vcpu_flush_tlb_request(kvm);
}

/*
 * kvm_mmu_notifier_invalidate_range_start(): kvm_handle_hva_range() with kvm_mmu_invalidate_begin
 * on lock and kvm_mmu_unmap_gfn_range as handler, flushing before the unlock. start and end are
 * pages of the VMM's VMA; the one memslot maps them from its userspace_addr.
 */
void kvm_mmu_notifier_invalidate_range_start(struct kvm *kvm, unsigned long start, unsigned long end)
{
	struct kvm_memory_slot *slot = kvm->memslot;
	unsigned long hva_start = max(start, slot->userspace_addr);
	unsigned long hva_end = min(end, slot->userspace_addr + slot->npages);
	bool flush;

	if (hva_start >= hva_end)
		return;
	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_begin(kvm);
	/* kvm_mmu_unmap_gfn_range(): range_add, then the zap; HVA notifications zap shared SPTEs only */
	flush = kvm_mmu_unmap_gfn_range(kvm, slot->base_gfn + hva_start - slot->userspace_addr,
					slot->base_gfn + hva_end - slot->userspace_addr, KVM_FILTER_SHARED,
					slot->base_gfn + hva_start - slot->userspace_addr,
					slot->base_gfn + hva_end - slot->userspace_addr);
	if (flush)
		kvm_flush_remote_tlbs(kvm);
	write_unlock(&kvm->mmu_lock);
}

/* kvm_mmu_notifier_invalidate_range_end(): kvm_mmu_invalidate_end() under mmu_lock */
void kvm_mmu_notifier_invalidate_range_end(struct kvm *kvm, unsigned long start, unsigned long end)
{
	struct kvm_memory_slot *slot = kvm->memslot;

	if (max(start, slot->userspace_addr) >= min(end, slot->userspace_addr + slot->npages))
		return;
	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_end(kvm);
	write_unlock(&kvm->mmu_lock);
}

/*
 * hva_to_pfn_fast(): get_user_page_fast_only() of a writable page. A read fault takes the slow
 * path upstream (copy-on-write); the modelled faults all write.
 */
static bool hva_to_pfn_fast(struct mm_struct *mm, unsigned long hva, kvm_pfn_t *pfn, struct page **page)
{
	if (get_user_page_fast_only(mm, hva, FOLL_WRITE, page)) {
		*pfn = page_to_pfn(*page);
		return true;
	}
	return false;
}

/*
 * hva_to_pfn_slow(): get_user_pages_unlocked() of one page. Not modelled step by step: with
 * FOLL_NOWAIT it will not wait for a migration (KVM_PFN_ERR_NEEDS_IO, and the fault retries
 * through async page fault); without it, it sleeps in migration_entry_wait() until the PTE is
 * back, modelled as a re-read after yielding. No PTE means the VMA is gone.
 */
static kvm_pfn_t hva_to_pfn_slow(struct mm_struct *mm, unsigned long hva, unsigned int flags, struct page **page)
{
	kvm_pfn_t pfn;
	long pte;

	while (1) {
		pte = ptep_get(mm, hva);
		if (pte_none(pte))
			return KVM_PFN_ERR_FAULT;
		if (flags & FOLL_NOWAIT)
			return KVM_PFN_ERR_NEEDS_IO;
		if (hva_to_pfn_fast(mm, hva, &pfn, page))
			return pfn;
		cond_resched();
	}
}

/* hva_to_pfn(): the fast path, else the slow one */
static kvm_pfn_t hva_to_pfn(struct mm_struct *mm, unsigned long hva, unsigned int flags, struct page **page)
{
	kvm_pfn_t pfn;

	if (hva_to_pfn_fast(mm, hva, &pfn, page))
		return pfn;
	return hva_to_pfn_slow(mm, hva, flags, page);
}

/* __kvm_faultin_pfn() -> kvm_follow_pfn(): the host page behind gfn, with a reference in *page */
kvm_pfn_t __kvm_faultin_pfn(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn, unsigned int foll, struct page **page)
{
	*page = NULL;
	if (!slot)
		return KVM_PFN_NOSLOT;
	return hva_to_pfn(kvm->mm, __gfn_to_hva_memslot(slot, gfn), foll, page);
}

/* kvm_vcpu_map(): the page behind gfn, mapped for KVM's own accesses, under a reference */
int kvm_vcpu_map(struct kvm *kvm, gfn_t gfn, struct page **page)
{
	kvm_pfn_t pfn;

	pfn = __kvm_faultin_pfn(kvm, gfn_to_memslot(kvm, gfn), gfn, FOLL_WRITE, page);
	if (is_error_noslot_pfn(pfn))
		return -EFAULT;
	return 0;
}

/* kvm_vcpu_unmap(): kvm_release_page_dirty() of the mapped page */
void kvm_vcpu_unmap(struct page *page)
{
	put_page(page);
}
