/*
 * A plausible shortcut in folio_zap_direct_map() of the direct-map series (v10 on, list archive;
 * the series' x86 function, arch/x86/mm/pat/set_memory.c): flush only the folio's first page,
 * on the reasoning that a huge folio is mapped by one large leaf and that INVLPG of any address in
 * a large page removes the whole large translation (SDM vol. 3 §4.10.4.1).
 *
 * The reasoning holds while the direct map maps the folio with one leaf that
 * set_direct_map_valid_noflush() changes in place. It fails when the direct map maps the folio
 * with 4K PTEs (a 4K direct map, or a 2M leaf split earlier; splits are never undone): each of
 * those pages has its own TLB entry, and INVLPG of the first page leaves the others cached.
 */
int folio_zap_direct_map(struct folio *folio, long nr)
{
	unsigned long addr = page_address(folio_page(folio, 0));
	int r;

	r = set_direct_map_valid_noflush(folio_page(folio, 0), nr, false);
	if (r)
		return r;
	flush_tlb_kernel_range(addr, addr + PAGE_SIZE);
	return 0;
}
