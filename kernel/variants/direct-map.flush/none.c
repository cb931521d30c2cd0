/*
 * variant direct-map.flush = none (race 5): set_direct_map_invalid_noflush() and no flush at all;
 * a translation a CPU cached before the zap stays until capacity evicts it.
 */
void gmem_zap_and_publish(struct page *page, struct page_handoff *handoff)
{
	int err = gmem_zap_page(page);

	publish_page(handoff, page, err);
}
