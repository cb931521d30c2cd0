/*
 * variant gmem.invalidate-range = folio-rounded: kvm_gmem_punch_hole() invalidates the punched
 * range rounded out to the file's folio size, while the truncation stays exact: the VM loses
 * mappings outside the range (the over-zap oracle's case for a TD).
 *
 * models virt/kvm/guest_memfd.c kvm_gmem_punch_hole() (torvalds/linux 0f94e51b) with its
 * invalidation rounded out to the folio: a design written here to show the over-zap, not a
 * posted patch.
 */
static long kvm_gmem_punch_hole(struct inode *inode, loff_t offset, loff_t len)
{
	struct address_space *mapping = inode->i_mapping;
	long nr = 1 << mapping_max_folio_order(mapping);
	pgoff_t size = i_size_read(inode) >> PAGE_SHIFT;
	pgoff_t start = offset >> PAGE_SHIFT;
	pgoff_t end = min((offset + len) >> PAGE_SHIFT, size);
	int r;

	filemap_invalidate_lock(mapping);

	r = kvm_gmem_invalidate_begin(inode, ALIGN_DOWN(start, nr), min(ALIGN(end, nr), size), start, end);
	if (r)
		goto out_unlock;

	r = kvm_gmem_truncate_range(inode, start, end);

	kvm_gmem_invalidate_end(inode, start, end);
out_unlock:
	filemap_invalidate_unlock(mapping);
	return r;
}
