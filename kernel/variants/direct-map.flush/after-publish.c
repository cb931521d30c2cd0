/*
 * variant direct-map.flush = after-publish (race 5): the zapper hands the page to the guest
 * before it flushes the TLBs; until a CPU has taken its flush IPI, a translation it cached before
 * the zap still reads the page, which now holds the guest's private data.
 */
void gmem_zap_and_publish(struct page *page, struct page_handoff *handoff)
{
	unsigned long addr = page_address(page);
	int err = gmem_zap_page(page);

	publish_page(handoff, page, err);
	flush_tlb_kernel_range(addr, addr + PAGE_SIZE);
}
