/*
 * Reviewer question (issue 27, lifetimes): "could kvm_gmem_release() drop the file's reference on
 * the VM while it still holds slots_lock, so that no memslot unbind can run between the
 * invalidation and the put?" kvm_put_kvm() moved ahead of mutex_unlock(&kvm->slots_lock); the
 * rest as virt/kvm/guest_memfd.c kvm_gmem_release() (torvalds/linux 01f492e1) has it.
 *
 * Answer (vm-close-vs-file-release, variant put-under-slots-lock): no. When the VMM closed the VM
 * fd first, the file's reference is the last one: kvm_put_kvm() runs kvm_destroy_vm(), whose
 * kvm_arch_destroy_vm() takes slots_lock for the regions x86 made on behalf of userspace, and
 * slots_lock is the one this task still holds: deadlock (the release never ends, so its pages and
 * locks are left at the end of the run: refcount-error and unbalanced follow). Upstream puts the
 * reference last, after every use of the VM (kvm_gmem_unbind()'s comment relies on that order),
 * and the same workload is clean.
 *   ./gmemsim run scenarios/vm-close-vs-file-release.conf --variant put-under-slots-lock
 */
static int kvm_gmem_release(struct inode *inode, struct file *file)
{
	struct kvm *kvm = inode->gmem.kvm;
	pgoff_t size = i_size_read(inode) >> PAGE_SHIFT;

	if (kvm)
		mutex_lock(&kvm->slots_lock);

	filemap_invalidate_lock(inode->i_mapping);

	if (kvm) {
		kvm_slot_gmem_file_clear(kvm->memslot);
		__kvm_gmem_invalidate_begin(kvm, 0, size, 0, size);
		__kvm_gmem_invalidate_end(kvm);
		__kvm_gmem_file_list_del(inode);
	}

	filemap_invalidate_unlock(inode->i_mapping);

	if (kvm) {
		kvm_put_kvm(kvm);
		mutex_unlock(&kvm->slots_lock);
	}
	return 0;
}
