/*
 * models the temporary direct-map restore Patrick Roy's 2024 RFC ("unmapping guest_memfd from the
 * direct map", list archive) proposed for KVM's own accesses to a no-direct-map guest_memfd page
 * (kvm_write_guest_page() on a gfn backed by guest_memfd): the folio, its entry made valid, the
 * store through the direct map, the entry invalid again and the flush, the folio put; a folio still
 * in the direct map is written as it is. The RFC's rule: such users hold the folio lock from the
 * restore to the re-zap (gmem.temp-restore = folio-lock); variants/gmem.temp-restore/unlocked.c
 * drops it early (race 12).
 */

/* The store and the re-zap of the page, whose entry the caller made valid if it was zapped */
static void kvm_gmem_temp_write(struct page *page, int data, bool zapped)
{
	unsigned long addr = page_address(page);

	memcpy_to_page(page, 0, data, PAGE_SIZE);
	if (!zapped)
		return;
	set_direct_map_valid_noflush(page, 1, false);
	flush_tlb_kernel_range(addr, addr + PAGE_SIZE);
}

void kvm_gmem_write_guest_page(struct file *file, pgoff_t index, int data)
{
	struct folio *folio = kvm_gmem_get_folio(file_inode(file), index);
	struct page *page;
	bool zapped;

	if (IS_ERR(folio))
		return;
	page = folio_page(folio, index & (folio_nr_pages(folio) - 1));
	zapped = kvm_gmem_folio_no_direct_map(folio);
	if (zapped)
		set_direct_map_valid_noflush(page, 1, true);
	kvm_gmem_temp_write(page, data, zapped);
	folio_unlock(folio);
	folio_put(folio);
}

/*
 * kvm_write_guest_page() on a gfn backed by guest_memfd, as KVM reaches the file: a reference
 * through the memslot (kvm_gmem_get_file()'s get_file_active()), nothing written once the file
 * was released, the reference dropped after the write and, if it was the last, the release run as
 * the task's task_work on its way back to user mode.
 */
void kvm_write_guest_gmem(struct file *file, pgoff_t index, int data)
{
	if (!get_file_active(file))
		return;
	kvm_gmem_write_guest_page(file, index, data);
	fput(file);
	task_work_run();
}
