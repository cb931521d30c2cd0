/*
 * models no upstream function: a reordering of gmem_zap_and_publish() of
 * kernel/model/direct_map_handoff.c (race 5 of seed 001's thread, list archive), the flush that
 * set_direct_map_invalid_noflush()'s callers owe (arch/x86/mm/pat/set_memory.c) made after the
 * page is handed on.
 *
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
