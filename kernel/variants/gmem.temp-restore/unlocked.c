/*
 * variant gmem.temp-restore = unlocked (race 12): the temporary restore without the RFC's rule:
 * the folio lock goes right after the look at its bit, so two users of one page nest: map(A),
 * map(B), store(A), unmap(A), and B stores through an invalid entry.
 *
 * models the 2024 RFC's temporary direct-map restore for KVM's own accesses (list archive, seed
 * 002; kernel/model/kvm_temp_restore.c holds the version with its folio-lock rule) without that
 * rule.
 */
void kvm_gmem_write_guest_page(struct file *file, pgoff_t index, int data)
{
	struct folio *folio = kvm_gmem_get_folio(file_inode(file), index);
	struct page *page;
	bool zapped;

	if (IS_ERR(folio))
		return;
	page = folio_page(folio, index & (folio_nr_pages(folio) - 1));
	zapped = kvm_gmem_folio_no_direct_map(folio);
	folio_unlock(folio);
	if (zapped)
		set_direct_map_valid_noflush(page, 1, true);
	kvm_gmem_temp_write(page, data, zapped);
	folio_put(folio);
}
