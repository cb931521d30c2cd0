/*
 * models virt/kvm/guest_memfd.c kvm_gmem_folio_configure_direct_map(), kvm_gmem_prepare_folio()
 * and kvm_gmem_free_folio() of the RFC v3 posting (October 2024, list archive, seed 002), applied
 * to guest_memfd.c as torvalds/linux 0f94e51b has it.
 *
 * variant gmem.direct-map-removal = rfc-v3: Patrick Roy's RFC v3 (seed 002, October 2024, list
 * archive) as posted: kvm_gmem_folio_configure_direct_map() once a folio is cleared in
 * kvm_gmem_get_pfn()'s preparation, the folio marked uptodate even when that fails ("to avoid
 * touching parts without direct map entries in a potential re-preparation"); ->free_folio()
 * restores the entries of a PG_private folio and poisons it when that fails. The RFC predates
 * guest_memfd's mmap() and write(): those paths prepare folios without configuring them.
 */

/*
 * kvm_gmem_folio_configure_direct_map(): the folio's entries invalid; on success PG_private and a
 * flush whose start is folio_index(), a file index rather than an address, as posted: it covers a
 * user address range and no direct-map TLB entry.
 */
static int kvm_gmem_folio_configure_direct_map(struct folio *folio, pgoff_t index, long nr)
{
	int r;

	r = set_direct_map_valid_noflush(folio_page(folio, 0), nr, false);
	if (r)
		return r;
	folio_set_private(folio);
	flush_tlb_kernel_range(index, index + nr * PAGE_SIZE);
	return 0;
}

static int kvm_gmem_prepare_folio(struct inode *inode, pgoff_t index, struct folio *folio)
{
	long nr_pages = folio_nr_pages(folio);
	long i;
	int r = 0;

	for (i = 0; i < nr_pages; i++)
		dmap_clear_highpage(inode, folio_page(folio, i));
	if (inode->i_private & GUEST_MEMFD_FLAG_NO_DIRECT_MAP)
		r = kvm_gmem_folio_configure_direct_map(folio, ALIGN_DOWN(index, nr_pages), nr_pages);
	folio_mark_uptodate(folio);
	return r;
}

/* kvm_gmem_free_folio(): "better make sure nothing tries to touch it again" on a failed restore */
void kvm_gmem_free_folio(struct folio *folio, long nr)
{
	unsigned long addr = page_address(folio_page(folio, 0));

	if (!folio_test_private(folio))
		return;
	if (set_direct_map_valid_noflush(folio_page(folio, 0), nr, true))
		folio_set_hwpoison(folio);
	flush_tlb_kernel_range(addr, addr + nr * PAGE_SIZE);
}
