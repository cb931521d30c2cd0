/*
 * folio_zap_direct_map() of the direct-map series (v10 on, list archive) with its flush left
 * out: the folio's entries invalid, and nothing removes what a CPU cached before. A walk through
 * a 2M leaf caches one 2M entry, so a load of any page of the leaf before the zap keeps every
 * page of the folio readable.
 */
int folio_zap_direct_map(struct folio *folio, long nr)
{
	return set_direct_map_valid_noflush(folio_page(folio, 0), nr, false);
}
