/*
 * Reviewer question (issue 27, lifetimes): "does kvm_gmem_release() need the file's reference on
 * the VM until its end, or could it drop it first, since the memslot still binds the file to the
 * VM?" kvm_put_kvm() moved to the top; the rest as virt/kvm/guest_memfd.c kvm_gmem_release()
 * (torvalds/linux 01f492e1) has it.
 *
 * Answer (vm-close-vs-file-release, variant put-first): it needs it. A memslot holds no reference
 * on its VM. When the VMM closed the VM fd first, the put destroys the VM at once:
 * kvm_gmem_unbind() finds the file being closed and clears the binding without the invalidate
 * lock, kvm_arch_free_vm() frees struct kvm, and the release then takes slots_lock inside the
 * freed struct: use-after-free.
 *   ./gmemsim run scenarios/vm-close-vs-file-release.conf --variant put-first
 */
static int kvm_gmem_release(struct inode *inode, struct file *file)
{
	struct kvm *kvm = inode->gmem.kvm;
	pgoff_t size = i_size_read(inode) >> PAGE_SHIFT;

	if (kvm)
		kvm_put_kvm(kvm);

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

	if (kvm)
		mutex_unlock(&kvm->slots_lock);
	return 0;
}
