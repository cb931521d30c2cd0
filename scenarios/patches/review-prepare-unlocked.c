/*
 * Reviewer question (issue 27, data): "could kvm_gmem_get_pfn() drop the folio lock as soon as
 * __kvm_gmem_get_pfn() has read folio_test_uptodate(), and prepare the folio unlocked, so that a
 * slow arch prepare hook (an RMP update) does not hold the lock?" The folio_unlock() moved ahead
 * of kvm_gmem_prepare_folio(); nothing else changed (virt/kvm/guest_memfd.c, kvm_gmem_get_pfn(),
 * the rest as mainline).
 *
 * Answer (gmem-prepare-vs-store, variant prepare-unlocked): no. Two faults on one not yet
 * prepared folio both read "not uptodate". The second prepares it, KVM maps it, and the guest
 * stores its data; the first then clears the page it still believes unprepared, and the guest's
 * load reads zeros where it stored 0x22: wrong-data. Mainline reads uptodate and prepares under
 * one hold of the folio lock, so the second fault finds the folio prepared.
 *   ./gmemsim run scenarios/gmem-prepare-vs-store.conf --variant prepare-unlocked
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

	folio = __kvm_gmem_get_pfn(file, slot, index, pfn, &is_prepared, max_order);
	if (IS_ERR(folio)) {
		r = PTR_ERR(folio);
		goto out;
	}

	folio_unlock(folio);

	if (!is_prepared)
		r = kvm_gmem_prepare_folio(file_inode(file), index, folio);
	if (!r)
		r = dmap_folio_prepared(file_inode(file), folio);

	if (!r)
		*page = *pfn;
	else
		folio_put(folio);

out:
	fput(file);
	return r;
}
