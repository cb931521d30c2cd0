/*
 * models remove_migration_ptes() / remove_migration_pte() (mm/migrate.c, gregkh/linux
 * afb1352d): for the nr pages of folio mapped at [first, first + nr) of mm's VMA, the folio's
 * reference and rmap come first (folio_get(), folio_add_anon_rmap_pte()), then the PTE
 * (set_pte_at()), under the page-table lock.
 */
void remove_migration_ptes(struct folio *folio, unsigned long nr, struct mm_struct *mm, unsigned long first)
{
	folio_get_add_anon_rmap_ptes(folio, nr, mm);
	remove_migration_pte_range(mm, first, nr);
}

/*
 * The migration of one page-cache folio (mm/migrate.c, a v6.12-era tree read through the stored
 * index: __migrate_folio() copies before it moves the mapping): migrate_pages() of a list holding
 * one isolated folio, synchronously, condensed to migrate_folio_unmap() (the destination, both
 * folio locks) and migrate_folio_move() (move_to_new_folio()). The model's folio->private holds
 * only the direct-map series' no-direct-map bit.
 */

/* folio_mc_copy(): page by page, tolerant of a machine check in the source */
int folio_mc_copy(struct folio *dst, struct folio *src, long nr)
{
	long i;

	for (i = 0; i < nr; i++) {
		if (copy_mc_highpage(folio_page(dst, i), folio_page(src, i)))
			return -EHWPOISON;
	}
	return 0;
}

/*
 * __folio_migrate_mapping(): with the source frozen at the references it may have (any other
 * one fails it: -EAGAIN), the destination takes its place in the page cache and the cache's
 * references; the source keeps only the caller's.
 */
static int __folio_migrate_mapping(struct address_space *mapping, struct folio *newfolio, struct folio *folio,
				   pgoff_t index, long nr, int expected_count)
{
	if (!folio_ref_freeze(folio, expected_count))
		return -EAGAIN;

	folio_set_mapping(newfolio, mapping->id, index);
	__ghost_holder(mapping);
	folio_ref_add(newfolio, nr);

	__folio_migrate_mapping_xa(mapping, index, folio, newfolio, nr);

	/* Drop cache reference from old folio */
	__ghost_holder(mapping);
	folio_ref_unfreeze(folio, expected_count - nr);
	return 0;
}

/* filemap_migrate_folio(): copy, move the mapping, then folio->private goes with the folio */
int filemap_migrate_folio(struct address_space *mapping, struct folio *dst, struct folio *src, pgoff_t index, long nr)
{
	int rc;

	rc = folio_mc_copy(dst, src, nr);
	if (rc)
		return rc;
	rc = __folio_migrate_mapping(mapping, dst, src, index, nr, nr + 1);
	if (rc)
		return rc;
	if (kvm_gmem_folio_no_direct_map(src)) {
		kvm_gmem_folio_clear_no_direct_map(src);
		kvm_gmem_folio_set_no_direct_map(dst);
	}
	return 0;
}

/*
 * move_to_new_folio(): the mapping's ->migrate_folio; an inaccessible mapping refuses. A source
 * a truncation took out of the mapping meanwhile is left alone (upstream migrates it with no
 * mapping; no modelled path depends on that). On success the source no longer has a mapping.
 */
static int move_to_new_folio(struct folio *dst, struct folio *src, struct address_space *mapping, pgoff_t index, long nr)
{
	int rc;

	if (!folio_mapping(src))
		return -EAGAIN;
	if (mapping_inaccessible(mapping))
		return -EOPNOTSUPP;
	rc = kvm_gmem_migrate_folio(mapping, dst, src, index, nr);
	if (!rc)
		folio_set_mapping(src, 0, 0);
	return rc;
}

/*
 * migrate_pages() of one isolated folio of mapping, synchronously: a destination of the same
 * order, the source's lock then the destination's, the move, and both unlocked; the destination's
 * own reference goes (it keeps the page cache's after a move, and is freed after a failure).
 * The caller still holds the isolation reference on the source.
 */
int migrate_pages(struct folio *src, struct address_space *mapping, pgoff_t index)
{
	int order = folio_order(src);
	long nr = 1 << order;
	struct folio *dst;
	int rc;

	dst = (struct folio *)alloc_pages(GFP_HIGHUSER, order);
	if (!dst)
		return -ENOMEM;
	folio_lock(src);
	if (!folio_trylock(dst)) {
		folio_unlock(src);
		folio_put(dst);
		return -EAGAIN;
	}
	rc = move_to_new_folio(dst, src, mapping, ALIGN_DOWN(index, nr), nr);
	folio_unlock(dst);
	folio_put(dst);
	folio_unlock(src);
	return rc;
}
