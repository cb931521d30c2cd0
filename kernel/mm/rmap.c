/*
 * models parts of mm/rmap.c (gregkh/linux 155f9686): try_to_migrate() of a PTE-mapped anonymous
 * folio, whose one mapping (the model does not walk the rmap) is pages [first, first + nr) of
 * mm's VMA, and the anon_vma lock.
 */

static inline void anon_vma_lock_write(struct mm_struct *mm)
{
	down_write(&mm->anon_vma_lock);
}

static inline void anon_vma_unlock_write(struct mm_struct *mm)
{
	up_write(&mm->anon_vma_lock);
}

/*
 * try_to_migrate_one(): the mmu_notifier range starts before the walk; under the page-table
 * lock each present PTE becomes a migration entry, then the rmap and the mappings' references
 * go; the range ends after the walk.
 */
static bool try_to_migrate_one(struct folio *folio, unsigned long nr, struct mm_struct *mm, unsigned long first)
{
	int unmapped;

	mmu_notifier_invalidate_range_start(mm, first, first + nr);
	unmapped = try_to_migrate_ptes(mm, first, nr);
	folio_remove_rmap_ptes_put(folio, unmapped, mm);
	mmu_notifier_invalidate_range_end(mm, first, first + nr);
	return true;
}

/* try_to_migrate(): rmap_walk_locked() over the folio's one mapping */
void try_to_migrate(struct folio *folio, unsigned long nr, struct mm_struct *mm, unsigned long first)
{
	try_to_migrate_one(folio, nr, mm, first);
}
