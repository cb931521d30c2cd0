/*
 * models munmap() of the VMM's anonymous memory as far as its pages go: unmap_vmas() and
 * zap_pte_range() (mm/memory.c, gregkh/linux bb1d93ee); and the read fault of an anonymous page
 * that GUP's slow path takes (handle_mm_fault(), do_anonymous_page(), gregkh/linux 6e88fe54). The mmu_notifier range is open around the zap; each PTE
 * is read and cleared, and the page loses its rmap and the mapping's reference.
 * Modelled differently: upstream queues the pages in the mmu_gather and drops the references in
 * tlb_finish_mmu(), after the range ends; the model drops each with its rmap. Nothing a modelled
 * path does tells the two apart: gup-fast finds no PTE either way, and a KVM fault that looked
 * the page up before the zap retries on the raised invalidation or on the bumped sequence.
 */

/* zap_pte_range() of pages [start, end) of the VMA, under the page-table lock */
static void zap_pte_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long index;
	long pte;

	for (index = start; index < end; index++) {
		pte = ptep_get_and_clear(mm, index);
		if (!pte_present(pte))
			continue;
		/* vm_normal_page() is NULL for the zero page: no rmap, no reference */
		if (is_zero_pfn(mm, pte_pfn(pte)))
			continue;
		zap_pte_range_rmap_put(pte_page(pte), 1, mm);
	}
}

/* unmap_vmas(): the notifier range around the zap of the one VMA */
void unmap_vmas(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	mmu_notifier_invalidate_range_start(mm, start, end);
	zap_pte_range(mm, start, end);
	mmu_notifier_invalidate_range_end(mm, start, end);
}

/*
 * do_anonymous_page() of a read fault (mm/memory.c, gregkh/linux 6e88fe54): the shared zero page
 * mapped, under the page-table lock, unless another fault mapped the PTE first. The model's GUP
 * callers never ask for write, so the allocating branch is not modelled.
 */
static vm_fault_t do_anonymous_page(struct mm_struct *mm, unsigned long index)
{
	/* Use the zero-page for reads */
	set_pte_at_none(mm, index, my_zero_pfn(mm));
	return 0;
}

/*
 * handle_mm_fault() of a page of the VMM's anonymous memory: __handle_mm_fault() ->
 * handle_pte_fault() finds no PTE -> do_pte_missing() -> do_anonymous_page(). The caller holds
 * mmap_lock for read.
 */
vm_fault_t handle_mm_fault(struct mm_struct *mm, unsigned long index, unsigned int flags)
{
	return do_anonymous_page(mm, index);
}
