/*
 * models virt/kvm/guest_memfd.c kvm_gmem_truncate_range()'s handling of a large folio the range
 * covers in part, as a design no tree has (ours, the known-bad one): upstream guest_memfd
 * (torvalds/linux 0f94e51b) has order-0 folios only and calls truncate_inode_pages_range().
 *
 * variant gmem.truncate-range = folio-rounded: PUNCH_HOLE frees every folio the range touches,
 * whole: the pages of a large folio outside the range go with it, though the invalidation covered
 * only the range.
 */
static int kvm_gmem_truncate_partial_folio(struct inode *inode, struct folio *folio, pgoff_t first, long nr,
					   pgoff_t start, pgoff_t end)
{
	truncate_inode_folio(inode->i_mapping, folio, first, nr);
	return 1;
}
