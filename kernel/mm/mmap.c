/*
 * models the mmap() and munmap() system calls as far as the VMM's guest_memfd and its own
 * anonymous memory go (gregkh/linux 6e88fe54): sys_mmap() (arch/x86/kernel/sys_x86_64.c) refuses
 * an offset that is not page-aligned, ksys_mmap_pgoff() (mm/mmap.c) an fd with no file (the
 * model's fd table gives NULL for a closed fd); vm_mmap_pgoff() (mm/util.c) holds mmap_lock for
 * write around do_mmap(), which refuses a length of 0 and, through mmap_region(), calls the file's
 * ->mmap, kvm_gmem_mmap(). The VMAs themselves are not modelled: a guest_memfd mapping's accesses
 * go through kvm_gmem_fault_user_mapping() page by page, and the VMM's anonymous memory is the
 * PTEs of its mm (kernel/model/vmm.c). The mm argument is current->mm (the subset has no
 * current).
 */

/* do_mmap(): a length of 0 is refused; an anonymous mapping is a VMA only, which the model does not track */
static long do_mmap(struct file *file, unsigned long len, int shared)
{
	if (!len)
		return -EINVAL;
	if (!file)
		return 0;
	return kvm_gmem_mmap(file, shared);
}

/* vm_mmap_pgoff(): do_mmap() under mmap_lock held for write (mmap_write_lock_killable()) */
long vm_mmap_pgoff(struct mm_struct *mm, struct file *file, unsigned long len, int shared)
{
	long ret;

	mmap_write_lock(mm);
	ret = do_mmap(file, len, shared);
	mmap_write_unlock(mm);
	return ret;
}

long ksys_mmap_pgoff(struct mm_struct *mm, struct file *file, unsigned long len, int shared, unsigned long off)
{
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!file)
		return -EBADF;
	return vm_mmap_pgoff(mm, file, len, shared);
}

/*
 * vm_munmap() -> __vm_munmap() of nr pages of the VMM's anonymous memory from page start: the
 * VMAs detached and the PTEs zapped under mmap_lock. Modelled differently: upstream downgrades
 * the lock to read before the zap (vms_complete_munmap_vmas()); the model holds it for write to
 * the end, which only delays readers.
 */
void vm_munmap(struct mm_struct *mm, unsigned long start, unsigned long nr)
{
	mmap_write_lock(mm);
	unmap_vmas(mm, start, start + nr);
	mmap_write_unlock(mm);
}
