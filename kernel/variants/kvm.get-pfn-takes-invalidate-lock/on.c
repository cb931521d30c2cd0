/*
 * models virt/kvm/guest_memfd.c kvm_gmem_get_pfn() as the 2025 posted patch changes it (list
 * archive; race 14 of kernel-model §8).
 * variant kvm.get-pfn-takes-invalidate-lock = on: the 2025 patch that makes kvm_gmem_get_pfn()
 * hold filemap_invalidate_lock_shared() around the lookup (race 14: populate holds the lock for
 * write while its own fault's kvm_gmem_get_pfn() runs).
 */
int kvm_gmem_get_pfn(struct kvm *kvm, struct kvm_memory_slot *slot, gfn_t gfn, kvm_pfn_t *pfn, struct page **page,
		     int *max_order)
{
	pgoff_t index = kvm_gmem_get_index(slot, gfn);
	struct file *file = kvm_gmem_get_file(slot);
	bool is_prepared = false;
	struct folio *folio;
	int r = 0;

	if (!file)
		return -EFAULT;

	filemap_invalidate_lock_shared(file->f_mapping);

	folio = __kvm_gmem_get_pfn(file, slot, index, pfn, &is_prepared, max_order);
	if (IS_ERR(folio)) {
		r = PTR_ERR(folio);
		goto out;
	}

	if (!is_prepared)
		r = kvm_gmem_prepare_folio(file_inode(file), index, folio);
	if (!r)
		r = dmap_folio_prepared(file_inode(file), folio);

	folio_unlock(folio);

	if (!r)
		*page = *pfn;
	else
		folio_put(folio);

out:
	filemap_invalidate_unlock_shared(file->f_mapping);
	fput(file);
	return r;
}
