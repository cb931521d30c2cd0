/*
 * The user-mapping fault of guest_memfd in-place conversion (Ackerley Tng's series, the revision
 * on the list in 2025-2026: "KVM: guest_memfd: ... in-place conversion"; virt/kvm/guest_memfd.c,
 * kvm_gmem_fault_user_mapping()): guest_memfd keeps each index's shared or private state, and the
 * fault reads it and takes the folio under filemap_invalidate_lock_shared(), so that a conversion
 * (which holds the lock for write) cannot change the state under it. The fault runs under the
 * mm's mmap_lock (core mm's fault path), so the series orders mmap_lock -> invalidate_lock.
 *
 * Modelled differently: the series stores the state per index in guest_memfd (a maple tree); the
 * model reads the bound VM's memory attributes instead (kvm_mem_is_private() of the index's gfn),
 * the state the conversion ioctl of the VM sets, and a file no VM is bound to uses its
 * INIT_SHARED flag. The locking, which is what this patch is about, is the series'.
 */
static bool kvm_gmem_is_shared_mem(struct inode *inode, pgoff_t index)
{
	struct kvm *kvm = __kvm_gmem_file_kvm(inode);

	if (!kvm)
		return (inode->i_private & GUEST_MEMFD_FLAG_INIT_SHARED) != 0;
	return !kvm_mem_is_private(kvm, kvm_gmem_gfn(kvm->memslot, index));
}

vm_fault_t kvm_gmem_fault_user_mapping(struct file *file, pgoff_t pgoff, struct page **page)
{
	struct inode *inode = file_inode(file);
	vm_fault_t ret = VM_FAULT_LOCKED;
	struct folio *folio;
	int err;

	if ((pgoff << PAGE_SHIFT) >= i_size_read(inode))
		return VM_FAULT_SIGBUS;

	filemap_invalidate_lock_shared(inode->i_mapping);
	if (kvm_gmem_is_shared_mem(inode, pgoff))
		folio = kvm_gmem_get_folio(inode, pgoff);
	else
		folio = (struct folio *)ERR_PTR(-EACCES);
	filemap_invalidate_unlock_shared(inode->i_mapping);

	if (IS_ERR(folio)) {
		err = PTR_ERR(folio);
		if (err == -EAGAIN)
			return VM_FAULT_RETRY;
		return vmf_error(err);
	}

	if (WARN_ON_ONCE(folio_nr_pages(folio) > 1)) {
		ret = VM_FAULT_SIGBUS;
		goto out_folio;
	}

	if (!folio_test_uptodate(folio)) {
		dmap_clear_highpage(inode, folio_page(folio, 0));
		folio_mark_uptodate(folio);
	}

	err = dmap_folio_prepared(inode, folio);
	if (err) {
		ret = vmf_error(err);
		goto out_folio;
	}

	*page = folio_page(folio, 0);

out_folio:
	if (ret != VM_FAULT_LOCKED) {
		folio_unlock(folio);
		folio_put(folio);
	}
	return ret;
}
