/*
 * folio_zap_direct_map() of the direct-map series from v10 on (list archive), which both the
 * per-folio and the filemap design call: the folio's entries invalid, then an unconditional
 * flush of its range; an error returns before the flush.
 *
 * models the x86 folio_zap_direct_map() the series adds beside set_direct_map_valid_noflush()
 * in arch/x86/mm/pat/set_memory.c (each architecture with a direct map gets its own; v10-v12,
 * list archive), with flush_tlb_kernel_range() of torvalds/linux.
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
