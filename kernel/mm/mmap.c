/*
 * models the mmap() system call as far as a guest_memfd goes: sys_mmap()
 * (arch/x86/kernel/sys_x86_64.c) refuses an offset that is not page-aligned, ksys_mmap_pgoff()
 * (mm/mmap.c) an fd with no file (the model's fd table gives NULL for a closed fd), do_mmap() a
 * length of 0, and mmap_region() calls the file's ->mmap, kvm_gmem_mmap(). The VMA itself is not
 * modelled (nothing else maps the VMM's range): its accesses go through
 * kvm_gmem_fault_user_mapping() page by page.
 */
long ksys_mmap_pgoff(struct file *file, unsigned long len, int shared, unsigned long off)
{
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!file)
		return -EBADF;
	if (!len)
		return -EINVAL;
	return kvm_gmem_mmap(file, shared);
}
