/*
 * models no upstream function: kcompactd's scanner reaching the frame of a guest_memfd page, as
 * the workload that drives isolate_migratepages_block() and migrate_pages(). Which folio the
 * scanner reaches is its business; the model reads the page cache for the index (a lookup
 * standing for the pfn the scanner reached).
 */
void kcompactd_migrate_gmem_page(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio = __gmem_frame_at(mapping, index);

	if (!folio)
		return;
	folio = isolate_migratepages_block(folio, mapping);
	if (!folio)
		return;
	migrate_pages(folio, mapping, index);
	/* putback_movable_pages(), or the migrated source's last reference */
	folio_put(folio);
}
