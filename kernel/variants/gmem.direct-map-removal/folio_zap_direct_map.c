/*
 * folio_zap_direct_map() of the direct-map series from v10 on (list archive), which both the
 * per-folio and the filemap design call: the folio's entries invalid, then an unconditional
 * flush of its range; an error returns before the flush.
 */
int folio_zap_direct_map(struct folio *folio, long nr)
{
	unsigned long addr = page_address(folio_page(folio, 0));
	int r;

	r = set_direct_map_valid_noflush(folio_page(folio, 0), nr, false);
	if (r)
		return r;
	flush_tlb_kernel_range(addr, addr + nr * PAGE_SIZE);
	return 0;
}
