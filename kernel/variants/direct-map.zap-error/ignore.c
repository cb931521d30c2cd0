/*
 * variant direct-map.zap-error = ignore (race 7, the v9 review): the caller ignores what
 * set_direct_map_invalid_noflush() returns, so a split that could not get a page table
 * (-ENOMEM) leaves the page in the direct map while the fault goes on as if it were out.
 *
 * models the zap of the direct-map removal series v9 (list archive, seed 001), where the review
 * asked what happens to set_direct_map_invalid_noflush()'s error; it replaces the workload's
 * gmem_zap_page() (kernel/model/direct_map_handoff.c), whose correct design fails the fault.
 */
int gmem_zap_page(struct page *page)
{
	set_direct_map_invalid_noflush(page);
	return 0;
}
