/*
 * variant gmem.error-folio = trylock (a proposal, not upstream code): kvm_gmem_error_folio(),
 * called with the folio locked, only tries the invalidate lock and gives up (MF_FAILED) when it
 * is taken, so it cannot close the folio lock / invalidate_lock cycle with populate (race 15).
 */
int kvm_gmem_error_folio(struct address_space *mapping, struct folio *folio)
{
	pgoff_t start, end;

	if (!filemap_invalidate_trylock_shared(mapping))
		return MF_FAILED;

	start = folio_index(folio);
	end = start + folio_nr_pages(folio);

	kvm_gmem_invalidate_begin(mapping->host, start, end, start, end);
	kvm_gmem_invalidate_end(mapping->host, start, end);

	filemap_invalidate_unlock_shared(mapping);

	return MF_DELAYED;
}
