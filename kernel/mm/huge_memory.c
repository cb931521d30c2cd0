/*
 * models __folio_split() and its helpers (mm/huge_memory.c, gregkh/linux 08b2b65c, about v6.18)
 * for the two kinds of large folio the model splits, uniformly and at the head (split_at and
 * lock_at are the head page):
 *   - a PTE-mapped anonymous folio, by reclaim or migration holding a reference and the folio
 *     lock: mapping is NULL, and the rmap the model does not walk is pages [first, first + nr) of
 *     mm's one VMA;
 *   - a page-cache folio, by truncate_inode_partial_folio(): mapping is the file's, mm NULL.
 * Not modelled, because no modelled path contends for them: the deferred split queue and its
 * lock, the lruvec lock, i_mmap_lock_read(), the swap cache, xas_split_alloc() (its -ENOMEM), and
 * the re-check of the xarray slot under xa_lock (truncate holds the folio lock and the
 * invalidate lock, so nothing else removes the folio meanwhile).
 * Also file_thp_enabled() and thp_vma_allowable_order() for MADV_COLLAPSE of a guest_memfd
 * mapping (gregkh/linux 6e88fe54 with dd085fe9a8eb).
 */

/*
 * remap_page(): the migration entries of every folio from folio on, nr pages in all, become PTEs
 * of the same pages again (remove_migration_ptes() on each). folio_nr_pages() of each is
 * new_nr: the split's new order after a split, the whole folio after a failed one.
 */
static void remap_page(struct folio *folio, unsigned long nr, unsigned long new_nr, struct mm_struct *mm, unsigned long first)
{
	unsigned long i = 0;

	if (!mm)
		return;
	while (1) {
		remove_migration_ptes(folio, new_nr, mm, first + i);
		i += new_nr;
		if (i >= nr)
			break;
		folio = folio + new_nr;
	}
}

/*
 * unmap_folio(): try_to_migrate() of an anonymous folio (its PTEs become migration entries;
 * faulters wait) and the deferred TLB flush; a page-cache folio of guest_memfd is mapped by no
 * one in the modelled scenarios.
 */
static void unmap_folio(struct folio *folio, unsigned long nr, struct mm_struct *mm, unsigned long first)
{
	if (mm)
		try_to_migrate(folio, nr, mm, first);
}

/*
 * __split_unmapped_folio() of a frozen folio, uniformly to new_order: the page cache's slots
 * first (xas_split() under xa_lock), then __split_folio_to_order(): each new folio after the
 * first gets its flags and its own compound_head (page_folio() of its pages returns it from here
 * on), and the original shrinks to new_order.
 */
static void __split_unmapped_folio(struct folio *folio, int order, int new_order, struct address_space *mapping)
{
	unsigned long new_nr = 1 << new_order;
	unsigned long i;

	if (mapping)
		xas_split(mapping, folio, folio_index(folio), order, new_order);
	for (i = new_nr; i < (1 << order); i += new_nr)
		clear_compound_head(folio + i, new_order, folio);
	folio_set_order(folio, new_order);
}

int __folio_split(struct folio *folio, int new_order, struct address_space *mapping, struct mm_struct *mm,
		  unsigned long first)
{
	bool is_anon = mapping == NULL;
	int order = folio_order(folio);
	unsigned long nr = 1 << order;
	unsigned long new_nr = 1 << new_order;
	struct folio *new_folio;
	int extra_pins;
	int ret = 0;

	if (!is_anon && !folio_mapping(folio))
		return -EBUSY;
	if (new_order >= order)
		return -EINVAL;

	if (is_anon) {
		if (!folio_get_anon_vma(folio)) {
			ret = -EBUSY;
			goto out;
		}
		anon_vma_lock_write(mm);
	}

	/* can_split_folio(): a page-cache folio's references from the cache are its extra pins */
	extra_pins = is_anon ? 0 : nr;
	if (!can_split_folio(folio, extra_pins)) {
		ret = -EAGAIN;
		goto out_unlock;
	}

	unmap_folio(folio, nr, mm, first);

	local_irq_disable();
	if (folio_ref_freeze(folio, 1 + extra_pins)) {
		__split_unmapped_folio(folio, order, new_order, mapping);
		/*
		 * Each new folio gets the references it is expected to have (the page cache's, for a
		 * file folio) and the caller's one; the original is unfrozen last, once every slot
		 * points at its new folio, so a racing try-get on an old entry keeps failing.
		 */
		for (new_folio = folio + new_nr; new_folio < folio + nr; new_folio += new_nr) {
			if (mapping)
				__ghost_holder(mapping);
			folio_ref_unfreeze(new_folio, 1 + (is_anon ? 0 : new_nr));
		}
		if (mapping)
			__ghost_holder(mapping);
		folio_ref_unfreeze(folio, 1 + (is_anon ? 0 : new_nr));
	} else {
		ret = -EAGAIN;
	}
	local_irq_enable();

	remap_page(folio, nr, ret ? nr : new_nr, mm, first);

	if (ret == 0) {
		/* the new folios after lock_at: unlocked, and the caller's reference on each dropped */
		for (new_folio = folio + new_nr; new_folio < folio + nr; new_folio += new_nr) {
			folio_unlock(new_folio);
			folio_put(new_folio);
		}
	}

out_unlock:
	if (is_anon)
		anon_vma_unlock_write(mm);
out:
	return ret;
}

/* split_folio(): split to order 0; the caller holds the folio lock and a reference */
int split_folio(struct folio *folio, struct address_space *mapping, struct mm_struct *mm, unsigned long first)
{
	return __folio_split(folio, 0, mapping, mm, first);
}

/*
 * file_thp_enabled() (mm/huge_memory.c): CONFIG_READ_ONLY_THP_FOR_FS lets a file that is not
 * open for write have huge pages, but never a file on an anonymous inode (dd085fe9a8eb: guest_memfd
 * and secretmem were taken for read-only regular files, so khugepaged and MADV_COLLAPSE made large
 * folios that kvm_gmem_fault_user_mapping() WARNs on). A guest_memfd's inode is always one.
 */
static bool file_thp_enabled(struct file *file)
{
	if (IS_ANON_FILE(file_inode(file)))
		return false;
	/* !inode_is_open_for_write() && S_ISREG(): both hold for a guest_memfd (alloc_file_pseudo() takes no write access) */
	return true;
}

/*
 * thp_vma_allowable_order() of PMD_ORDER for a forced collapse of a file VMA that is neither DAX
 * nor shmem: only file_thp_enabled() can allow it
 */
bool thp_vma_allowable_order(struct file *file)
{
	return file_thp_enabled(file);
}
