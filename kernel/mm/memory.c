/*
 * models munmap() of the VMM's guest RAM as far as its pages go: unmap_vmas() and zap_pte_range()
 * (mm/memory.c, gregkh/linux bb1d93ee). The mmu_notifier range is open around the zap; each PTE
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
