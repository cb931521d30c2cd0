/*
 * kvm_gmem_populate() and tdx_gmem_post_populate() before 2a62345b30529 ("KVM: guest_memfd: GUP
 * source pages prior to populating guest memory", Michael Roth, v2 on the list 2025-12-15): the
 * invalidate lock is taken once around the whole loop, and the TDX callback pins the source page
 * with get_user_pages_fast() itself, under that lock (virt/kvm/guest_memfd.c and
 * arch/x86/kvm/vmx/tdx.c as 0f94e51b has them, with the model's GUP of the source).
 *
 * The commit's reason: with in-place conversion, a user fault takes the invalidate lock under
 * mmap_lock, while this GUP's slow path takes mmap_lock under the invalidate lock: an ABBA.
 *   ./gmemsim run scenarios/populate-src-vs-mmap-lock.conf --variant gup-under-lock
 */
long kvm_gmem_populate(struct kvm *kvm, gfn_t start_gfn, struct mm_struct *mm, unsigned long src, long npages, int data)
{
	struct kvm_memory_slot *slot = gfn_to_memslot(kvm, start_gfn);
	bool is_prepared;
	struct folio *folio;
	struct file *file;
	kvm_pfn_t pfn;
	gfn_t gfn;
	int ret = 0;
	long i;

	if (!slot)
		return -EINVAL;

	file = kvm_gmem_get_file(slot);
	if (!file)
		return -EFAULT;

	filemap_invalidate_lock(file->f_mapping);

	npages = min(slot->npages - (start_gfn - slot->base_gfn), npages);
	for (i = 0; i < npages; i++) {
		gfn = start_gfn + i;
		is_prepared = false;

		folio = __kvm_gmem_get_pfn(file, slot, kvm_gmem_get_index(slot, gfn), &pfn, &is_prepared, NULL);
		if (IS_ERR(folio)) {
			ret = PTR_ERR(folio);
			break;
		}

		if (is_prepared) {
			folio_unlock(folio);
			folio_put(folio);
			ret = -EEXIST;
			break;
		}

		folio_unlock(folio);

		ret = -EINVAL;
		if (!kvm_range_has_memory_attributes(kvm, gfn, gfn + 1, KVM_MEMORY_ATTRIBUTE_PRIVATE,
						     KVM_MEMORY_ATTRIBUTE_PRIVATE))
			goto put_folio_and_exit;

		ret = tdx_gmem_post_populate(kvm, gfn, pfn, src + i, data);
		if (!ret)
			folio_mark_uptodate(folio);

put_folio_and_exit:
		folio_put(folio);
		if (ret)
			break;
	}

	filemap_invalidate_unlock(file->f_mapping);

	fput(file);
	return ret && !i ? ret : i;
}

/*
 * The source page got and put by the callback itself, from current->mm (kvm->mm: the ioctl runs
 * in the VMM), "if it has been faulted in", and faulted in by the GUP's slow path if not.
 */
int tdx_gmem_post_populate(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn, unsigned long src, int data)
{
	struct page *src_page;
	int ret;

	ret = get_user_pages_fast(kvm->mm, src, 1, 0, &src_page);
	if (ret < 0)
		return ret;
	if (ret != 1)
		return -ENOMEM;

	ret = kvm_tdp_map_page(kvm, gfn);
	if (ret >= 0)
		__tdh_mem_page_add_copy(pfn, data);

	put_page(src_page);

	return ret < 0 ? ret : 0;
}
