/*
 * models parts of mm/truncate.c (a recent tree read through the stored index, index id 102296363:
 * the two-point try_folio_split() era; the index named no commit): truncate_inode_folio() and the
 * eviction's truncate_inode_pages_final(). For guest_memfd, truncate_cleanup_folio() has nothing
 * to do (no modelled user mapping outlives the fault that made it, no private data, never dirty).
 * The model's removal helpers take the folio's index and size, which their caller has just read
 * (upstream each reads folio->index and folio_nr_pages() again).
 */

/*
 * truncate_inode_folio(): a locked folio leaves the page cache (filemap_remove_folio()); the
 * caller then unlocks it and drops its own reference. The caller has seen folio->mapping ==
 * mapping under the folio lock, which upstream checks again here (-EIO).
 */
int truncate_inode_folio(struct address_space *mapping, struct folio *folio, pgoff_t index, long nr)
{
	filemap_remove_folio(mapping, folio, index, nr);
	return 0;
}

/*
 * truncate_inode_pages_range() of the whole file at eviction: every folio leaves the page cache.
 * One pass in index order with a sleeping folio_lock(), up to i_size (the xarray holds nothing
 * beyond it); the partial folios at a range's ends are PUNCH_HOLE's (guest_memfd's own
 * truncation), never the eviction's.
 */
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	pgoff_t index = (lstart + PAGE_SIZE - 1) >> PAGE_SHIFT;
	pgoff_t end = i_size_read(mapping->host) >> PAGE_SHIFT;
	struct folio *folio;
	pgoff_t first;
	long nr;

	if (lend != -1)
		end = min(end, (lend + 1) >> PAGE_SHIFT);
	while (index < end) {
		folio = filemap_lock_folio(mapping, index);
		if (IS_ERR(folio)) {
			index++;
			continue;
		}
		nr = folio_nr_pages(folio);
		first = ALIGN_DOWN(index, nr);
		truncate_inode_folio(mapping, folio, first, nr);
		folio_unlock(folio);
		folio_put(folio);
		index = first + nr;
	}
}

/* truncate_inode_pages_final(): the inode is being evicted */
void truncate_inode_pages_final(struct address_space *mapping)
{
	truncate_inode_pages_range(mapping, 0, -1);
}
