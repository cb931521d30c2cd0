/*
 * models no upstream function: gmem_zap_and_publish() of kernel/model/direct_map_handoff.c (race 5
 * of seed 001's thread, list archive) with the flush that set_direct_map_invalid_noflush()'s
 * callers owe (arch/x86/mm/pat/set_memory.c) left out.
 * variant direct-map.flush = none (race 5): set_direct_map_invalid_noflush() and no flush at all;
 * a translation a CPU cached before the zap stays until capacity evicts it.
 */
void gmem_zap_and_publish(struct page *page, struct page_handoff *handoff)
{
	int err = gmem_zap_page(page);

	publish_page(handoff, page, err);
}
