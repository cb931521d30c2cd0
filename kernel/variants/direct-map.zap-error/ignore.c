/*
 * variant direct-map.zap-error = ignore (race 7, the v9 review): the caller ignores what
 * set_direct_map_invalid_noflush() returns, so a split that could not get a page table
 * (-ENOMEM) leaves the page in the direct map while the fault goes on as if it were out.
 */
int gmem_zap_page(struct page *page)
{
	set_direct_map_invalid_noflush(page);
	return 0;
}
