/*
 * models isolate_migratepages_block() of mm/compaction.c for one folio (a v6.11-era tree through
 * the stored index: the AS_INACCESSIBLE check of guest_memfd's mapping): a reference on the
 * folio, and for an unevictable folio its mapping checked under folio_trylock(): an inaccessible
 * mapping's folios are never isolated. The model's only page-cache mapping is guest_memfd's; the
 * folio's mapping is read to see whether it is still in it.
 */
struct folio *isolate_migratepages_block(struct folio *folio, struct address_space *mapping)
{
	bool is_inaccessible;

	if (!folio_try_get(folio))
		return NULL;

	if (!folio_trylock(folio))
		goto isolate_fail_put;
	is_inaccessible = folio_mapping(folio) && mapping_inaccessible(mapping);
	folio_unlock(folio);
	if (is_inaccessible)
		goto isolate_fail_put;
	return folio;

isolate_fail_put:
	folio_put(folio);
	return NULL;
}
