/*
 * models virt/kvm/guest_memfd.c kvm_gmem_truncate_inode_range() and kvm_gmem_zero_range() of the
 * hugetlb guest_memfd series (RFC v2, 2025, list archive).
 *
 * variant gmem.truncate-range = zero-partial: the hugetlb guest_memfd series (RFC v2, 2025, list
 * archive: kvm_gmem_truncate_inode_range()): a huge folio the range covers in part stays in the
 * page cache, whole, and the covered pages are zeroed in place (kvm_gmem_zero_range() ->
 * folio_zero_segment()) through kmap_local_page(), which on x86-64 is the direct map.
 */
static int kvm_gmem_truncate_partial_folio(struct inode *inode, struct folio *folio, pgoff_t first, long nr,
					   pgoff_t start, pgoff_t end)
{
	pgoff_t from = max(start, first);
	pgoff_t to = min(end, first + nr);

	folio_zero_segment(folio_page(folio, from - first), 0, (to - from) << PAGE_SHIFT);
	return 1;
}
