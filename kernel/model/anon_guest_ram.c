/*
 * models no upstream function: what the actors of the seed-004 scenarios do, as the workload
 * that drives the kernel functions above (the guest's accesses, the VMM's munmap(), reclaim's
 * split and put-back, an ordinary kernel user of pages). Only the kernel functions they call are
 * upstream's.
 */

/*
 * A vCPU's guest touches a random page of its RAM: the first store is an EPT violation, which
 * KVM handles until the page is mapped (a fault that returns RET_PF_RETRY lets the guest run into
 * it again); then each store is one instruction, the EPT walk and the access. A gfn invalidated
 * since would fault again on its next access: not modelled, the guest stops there.
 */
void guest_fault_and_store(struct kvm *kvm, unsigned long npages, int writes)
{
	gfn_t gfn = kvm->memslot->base_gfn + get_random_u32_below(npages);
	kvm_pfn_t pfn;
	int r, i;

	while (1) {
		r = kvm_tdp_page_fault(kvm, gfn, false);
		if (r != RET_PF_RETRY)
			break;
		cond_resched();
	}
	if (r < 0)
		return;
	for (i = 0; i < writes; i++) {
		__insn_begin();
		pfn = __ept_walk(kvm, gfn, false);
		if (pfn < 0) {
			__insn_end();
			return;
		}
		__guest_access(pfn, true, __guest_data(kvm->vm_id), kvm->vm_id, gfn, 0, -1);
		__insn_end();
	}
}

/*
 * A vCPU's KVM writes guest data into a random page of its RAM through kvm_vcpu_map(): no EPT,
 * no mmu_notifier protection; the reference kvm_vcpu_map() took is what keeps the page.
 */
void kvm_vcpu_map_and_write(struct kvm *kvm, unsigned long npages, int writes)
{
	gfn_t gfn = kvm->memslot->base_gfn + get_random_u32_below(npages);
	struct page *page;
	int i;

	if (kvm_vcpu_map(kvm, gfn, &page))
		return;
	for (i = 0; i < writes; i++)
		__kvm_vcpu_map_write(page, __guest_data(kvm->vm_id));
	kvm_vcpu_unmap(page);
}

/*
 * Reclaim (or migration) splits an isolated, PTE-mapped anonymous folio: the folio lock around
 * split_folio(), tried again while the refcount does not allow it (-EAGAIN), as
 * migrate_pages() retries; -EBUSY is final.
 */
void reclaim_split_folio(struct folio *folio, struct mm_struct *mm, unsigned long first, int attempts)
{
	int ret, i;

	for (i = 0; i < attempts; i++) {
		folio_lock(folio);
		ret = split_folio(folio, NULL, mm, first);
		folio_unlock(folio);
		if (ret != -EAGAIN)
			return;
	}
}

/* The VMM's munmap() of its guest RAM */
void vmm_munmap(struct mm_struct *mm, unsigned long start, unsigned long nr)
{
	unmap_vmas(mm, start, start + nr);
}

/* Reclaim puts back an isolated folio: its isolation reference dropped */
void putback_folio(struct folio *folio)
{
	folio_put(folio);
}

/*
 * An ordinary kernel user of one page: alloc_pages(), its data written and read back through
 * the direct map (no highmem on x86-64), and the page freed. It is the next owner of whatever a
 * stale user wrongly freed.
 */
void kernel_page_user(int nid)
{
	struct page *page = alloc_pages_node(nid, GFP_KERNEL, 0);
	int data = __kernel_data();

	if (!page)
		return;
	__kmap_write(page, data);
	if (__kmap_read(page) != data)
		pr_info("its data in %x was overwritten", page);
	__free_pages(page, 0);
}
