/*
 * models parts of mm/filemap.c (torvalds/linux b6273b55, about v6.10): the page-cache lookup
 * filemap_get_entry() and __filemap_get_folio() with FGP_LOCK and FGP_CREAT, the insertion
 * filemap_add_folio() -> __filemap_add_folio(), and the removal filemap_remove_folio() ->
 * page_cache_delete() -> filemap_free_folio(). The page cache is the guest_memfd's (the model's
 * only mapping, whose a_ops are guest_memfd's: free_folio is kvm_gmem_free_folio()). Not
 * modelled, because no modelled path contends for them: i_lock, the LRU, memcg charging, shadow
 * entries and workingset refaults. The direct-map designs hook into the add and the removal
 * (kernel/model/gmem_direct_map.c).
 */

/*
 * filemap_get_entry(): the folio at index with a reference, or NULL. The lookup and the get are
 * separate steps; the folio may be frozen (a split, a migration) or replaced in between, so the
 * get is checked against the slot again.
 */
struct folio *filemap_get_entry(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio;

repeat:
	folio = xas_load(mapping, index);
	if (!folio)
		return NULL;
	if (!folio_try_get(folio)) {
		/* model: the retry is a busy loop, its next step a spin */
		cpu_relax();
		goto repeat;
	}
	if (unlikely(folio != xas_load(mapping, index))) {
		folio_put(folio);
		goto repeat;
	}
	return folio;
}

/*
 * __filemap_get_folio(): the folio at index, locked with FGP_LOCK (and looked up again if a
 * truncation took it out of the mapping while the caller slept on its lock); with FGP_CREAT a
 * new folio of the order the caller asks for, added at the index that order aligns to (the
 * model's huge-page guest_memfd allocates the folio holding index; upstream instead lowers the
 * order to the index's alignment), or of order 0 when that collides with folios already in
 * the range. Returns the folio with a reference, or an ERR_PTR().
 */
struct folio *__filemap_get_folio(struct address_space *mapping, pgoff_t index, fgf_t fgp_flags, gfp_t gfp)
{
	struct folio *folio;
	int order, err;

repeat:
	folio = filemap_get_entry(mapping, index);
	if (!folio)
		goto no_page;

	if (fgp_flags & FGP_LOCK) {
		folio_lock(folio);

		/* Has the page been truncated? */
		if (unlikely(folio_mapping(folio) != mapping->id)) {
			folio_unlock(folio);
			folio_put(folio);
			goto repeat;
		}
	}
	return folio;

no_page:
	if (!(fgp_flags & FGP_CREAT))
		return ERR_PTR(-ENOENT);

	order = FGF_GET_ORDER(fgp_flags);
	while (1) {
		err = -ENOMEM;
		folio = filemap_alloc_folio(gfp, order);
		if (!folio)
			break;
		err = filemap_add_folio(mapping, folio, ALIGN_DOWN(index, 1 << order), gfp);
		if (!err)
			return folio;
		folio_put(folio);
		if (err != -EEXIST || order == 0)
			break;
		order = 0;
	}

	/* lost the race with another inserter of index: look again */
	if (err == -EEXIST)
		goto repeat;
	return ERR_PTR(err);
}

/*
 * __filemap_add_folio(): the page cache's references (one per page), folio->mapping and
 * folio->index, then the store under xa_lock; -EEXIST when an index is taken, with all of it
 * undone.
 */
static int __filemap_add_folio(struct address_space *mapping, struct folio *folio, pgoff_t index, long nr)
{
	int err;

	__ghost_holder(mapping);
	folio_ref_add(folio, nr);
	folio_set_mapping(folio, mapping->id, index);

	err = __filemap_add_folio_xa(mapping, folio, index, nr);
	if (err) {
		folio_set_mapping(folio, 0, 0);
		__ghost_holder(mapping);
		folio_put_refs(folio, nr);
	}
	return err;
}

/*
 * filemap_add_folio(): a new folio, locked, into the page cache at index. On success it stays
 * locked, with the caller's reference and the page cache's.
 */
int filemap_add_folio(struct address_space *mapping, struct folio *folio, pgoff_t index, gfp_t gfp)
{
	long nr = folio_nr_pages(folio);
	int ret;

	__folio_set_locked(folio);
	ret = dmap_filemap_add(mapping, folio, nr);
	if (ret) {
		__folio_clear_locked(folio);
		return ret;
	}
	ret = __filemap_add_folio(mapping, folio, index, nr);
	if (ret) {
		dmap_filemap_remove(mapping, folio, nr);
		__folio_clear_locked(folio);
	}
	return ret;
}

/* page_cache_delete(): the folio's slots erased under xa_lock, and folio->mapping = NULL */
static void page_cache_delete(struct address_space *mapping, struct folio *folio, pgoff_t index, long nr)
{
	__page_cache_delete_xa(mapping, folio, index, nr);
	folio_set_mapping(folio, 0, 0);
}

/*
 * filemap_free_folio(): the mapping's ->free_folio (guest_memfd's kvm_gmem_free_folio()), then
 * the page cache's references go; the caller's reference keeps the folio.
 */
void filemap_free_folio(struct address_space *mapping, struct folio *folio, long nr)
{
	kvm_gmem_free_folio(folio, nr);
	__ghost_holder(mapping);
	folio_put_refs(folio, nr);
}

/*
 * filemap_remove_folio(): the folio, locked, leaves the page cache: deleted under xa_lock, then
 * freed from the cache once the lock is dropped.
 */
void filemap_remove_folio(struct address_space *mapping, struct folio *folio, pgoff_t index, long nr)
{
	page_cache_delete(mapping, folio, index, nr);
	dmap_filemap_remove(mapping, folio, nr);
	filemap_free_folio(mapping, folio, nr);
}
