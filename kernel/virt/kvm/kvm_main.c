/*
 * models parts of virt/kvm/kvm_main.c (torvalds/linux 01f492e1): the host-pfn lookup of a
 * memslot backed by the VMM's anonymous memory (hva_to_pfn()), the mmu_notifier callbacks that
 * keep the EPT in step with the VMM's page tables, and the remote TLB flush. One memslot, one
 * address space; SRCU, mn_active_invalidate_count and gfn_to_pfn caches are not modelled (no
 * modelled path updates memslots or uses a pfn cache). The VM's lifetime after torvalds/linux
 * 01f492e1: kvm_put_kvm(), kvm_destroy_vm() (its memslot teardown and the free) and the VM fd's
 * kvm_vm_release().
 */

/*
 * kvm_destroy_vm(): the last reference went. In upstream's order, the model keeps: the warning
 * that no invalidation is still in progress (mn_active_invalidate_count is not modelled, so it is
 * 0), kvm_arch_destroy_vm() (its slots_lock section), the memslots' teardown (kvm_free_memslots()
 * -> kvm_free_memslot() -> kvm_gmem_unbind() of the one guest_memfd memslot) and the free itself
 * (kvm_arch_free_vm()). The buses, SRCU and the mmu_notifier go with the struct.
 */
static void kvm_destroy_vm(struct kvm *kvm)
{
	WARN_ON(mmu_invalidate_in_progress(kvm));
	kvm_arch_destroy_vm(kvm);
	kvm_gmem_unbind(kvm->memslot);
	kvm_arch_free_vm(kvm);
}

/* kvm_put_kvm(): drop a reference on the VM; the last one destroys it */
void kvm_put_kvm(struct kvm *kvm)
{
	if (refcount_dec_and_test(&kvm->users_count))
		kvm_destroy_vm(kvm);
}

/* kvm_vm_release(): the VM fd's ->release (kvm_irqfd_release() has no irqfd to release in the model) */
void kvm_vm_release(struct kvm *kvm)
{
	kvm_put_kvm(kvm);
}

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

/*
 * The pre-set pass of kvm_vm_set_mem_attributes(): kvm_handle_gfn_range() with
 * kvm_mmu_invalidate_begin on lock and kvm_pre_set_memory_attributes() as handler, the flush
 * before the unlock. The TDX huge-page series makes the handler return int, so a failed split
 * fails the ioctl (the range stays added).
 */
static int kvm_pre_set_memory_attributes_range(struct kvm *kvm, gfn_t start, gfn_t end, bool to_private)
{
	int r;

	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_begin(kvm);
	kvm_mmu_invalidate_range_add(kvm, start, end);
	r = kvm_arch_pre_set_memory_attributes(kvm, start, end, to_private);
	if (r > 0)
		kvm_flush_remote_tlbs(kvm);
	write_unlock(&kvm->mmu_lock);
	return r < 0 ? r : 0;
}

/*
 * The post-set pass: kvm_mmu_invalidate_end on lock and kvm_arch_post_set_memory_attributes() as
 * handler, in one mmu_lock hold, so no fault sees the sequence moved without the mixed flags.
 */
static void kvm_post_set_memory_attributes_range(struct kvm *kvm, gfn_t start, gfn_t end)
{
	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_end(kvm);
	kvm_arch_post_set_memory_attributes(kvm, start, end);
	write_unlock(&kvm->mmu_lock);
}

/*
 * kvm_vm_set_mem_attributes() of [start, end) under slots_lock: the pre-set pass, the store of
 * the attributes, the post-set pass. As the TDX series posts it, a failed pre-set pass goes to
 * out_unlock: nothing is stored, and the post-set pass with its kvm_mmu_invalidate_end() is
 * skipped, so the invalidation stays in progress (tdx.attr-split-error).
 */
int kvm_vm_set_mem_attributes(struct kvm *kvm, gfn_t start, gfn_t end, unsigned long attributes)
{
	bool to_private = (attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE) != 0;
	int r;

	mutex_lock(&kvm->slots_lock);
	r = kvm_pre_set_memory_attributes_range(kvm, start, end, to_private);
	if (r)
		goto out_unlock;
	kvm_mem_attributes_store(kvm, start, end, to_private);
	kvm_post_set_memory_attributes_range(kvm, start, end);
out_unlock:
	mutex_unlock(&kvm->slots_lock);
	return r;
}

/* kvm_vm_ioctl_set_mem_attributes(): the argument checks, in upstream's order */
int kvm_vm_ioctl_set_mem_attributes(struct kvm *kvm, u64 address, u64 size, u64 attributes, u64 flags)
{
	gfn_t start, end;

	if (flags)
		return -EINVAL;
	if (attributes & ~kvm_supported_mem_attributes(kvm))
		return -EINVAL;
	if (size == 0 || address + size < address)
		return -EINVAL;
	if (!PAGE_ALIGNED(address) || !PAGE_ALIGNED(size))
		return -EINVAL;

	start = address >> PAGE_SHIFT;
	end = (address + size) >> PAGE_SHIFT;
	return kvm_vm_set_mem_attributes(kvm, start, end, attributes);
}

/*
 * kvm_set_memory_region() of a new memslot with KVM_MEM_GUEST_MEMFD, as far as its checks go, in
 * their order: the size, then the guest_memfd offset (aligned, no wrap), the overlap with an
 * existing memslot (kvm_check_memslot_overlap()), then kvm_gmem_bind() from kvm_set_memslot().
 * The model's VM has one memslot at most: old is it, when it exists. The slot id, flags, address
 * space and userspace_addr checks pass for every call a program can write (no program names
 * them); a gfn below 0 stands for a guest_phys_addr that wraps.
 */
int kvm_set_memory_region(struct kvm *kvm, struct kvm_memory_slot *old, struct file *file, gfn_t gfn, loff_t offset,
			  u64 size)
{
	unsigned long npages;

	if (size <= 0 || !PAGE_ALIGNED(size) || gfn < 0)
		return -EINVAL;

	if (!PAGE_ALIGNED(offset) || offset + size < offset)
		return -EINVAL;

	npages = size >> PAGE_SHIFT;
	if (old && gfn < old->base_gfn + old->npages && old->base_gfn < gfn + npages)
		return -EEXIST;

	return kvm_gmem_bind(kvm, old, file, offset, size);
}

/*
 * kvm_vm_ioctl_check_extension_generic(): KVM_CHECK_EXTENSION on /dev/kvm (kvm NULL) or on a VM
 * fd, as far as guest_memfd goes (torvalds/linux 01f492e1: a switch, here an if chain in its
 * order): guest_memfd is always there, its flags are kvm_gmem_get_supported_flags(), the rest is
 * the arch's.
 */
int kvm_vm_ioctl_check_extension_generic(struct kvm *kvm, long arg)
{
	if (arg == KVM_CAP_GUEST_MEMFD)
		return 1;
	if (arg == KVM_CAP_GUEST_MEMFD_FLAGS)
		return kvm_gmem_get_supported_flags(kvm);
	return kvm_vm_ioctl_check_extension(kvm, arg);
}
