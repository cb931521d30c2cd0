/*
 * Reviewer question (issue 27, lifetimes): "kvm_gmem_get_file() reads slot->gmem.file, and the
 * memslot keeps that pointer until kvm_gmem_release() clears it, so is a plain get_file() enough,
 * without get_file_active()?" get_file() in place of get_file_active(); the rest as
 * virt/kvm/guest_memfd.c kvm_gmem_get_file() (torvalds/linux 01f492e1) has it.
 *
 * Answer (release-vs-get-pfn, variant get-file): it is not. Between the VMM's last fput() and
 * kvm_gmem_release() clearing slot->gmem.file, the pointer names a file whose release has begun,
 * and once __fput() ends, a freed one. get_file() on it warns (file_ref_inc() on a released
 * reference) and revives nothing: __fput() goes on, frees the file with its inode, and the
 * fault's steps on the file (the increment itself, the page-cache lookup) are use after free;
 * the folio it then adds to the freed page cache is never put (refcount-error at the end).
 * get_file_active() refuses a released file (it may, on the SLAB_TYPESAFE_BY_RCU file cache),
 * and the fault returns -EFAULT.
 *   ./gmemsim run scenarios/release-vs-get-pfn.conf --variant get-file
 */
static inline struct file *kvm_gmem_get_file(struct kvm_memory_slot *slot)
{
	struct file *file = kvm_slot_gmem_file(slot);

	if (!file)
		return NULL;
	get_file(file);
	return file;
}
