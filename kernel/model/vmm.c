/*
 * models no upstream function: what a scenario's VMM does around the system calls it makes, as
 * the workload that drives the kernel functions (userspace calling again after a transient
 * error).
 */

/* KVM_SET_MEMORY_ATTRIBUTES, called again on -ENOMEM, up to three times */
int vmm_set_memory_attributes(struct kvm *kvm, u64 address, u64 size, u64 attributes, u64 flags)
{
	int r, i;

	for (i = 0; i < 3; i++) {
		r = kvm_vm_ioctl_set_mem_attributes(kvm, address, size, attributes, flags);
		if (r != -ENOMEM)
			break;
	}
	return r;
}

/* fallocate(); a PUNCH_HOLE that fails with -ENOMEM or -EAGAIN is called again, up to three times */
long vmm_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	long r;
	int i;

	if (!(mode & FALLOC_FL_PUNCH_HOLE))
		return ksys_fallocate(file, mode, offset, len);
	for (i = 0; i < 3; i++) {
		r = ksys_fallocate(file, mode, offset, len);
		if (r != -ENOMEM && r != -EAGAIN)
			break;
	}
	return r;
}

/*
 * pwrite() of len bytes of the image (data) at pos: a short write goes on from where it stopped,
 * and a call that fails with -ENOMEM is made again, up to three times.
 */
int vmm_pwrite(struct file *file, loff_t pos, long len, int data)
{
	long r;
	int i;

	for (;;) {
		for (i = 0; i < 3; i++) {
			r = ksys_pwrite64(file, len, pos, data);
			if (r != -ENOMEM)
				break;
		}
		if (r < 0)
			return r;
		pos += r;
		len -= r;
		if (len <= 0 || r == 0)
			return 0;
	}
}

/*
 * memcpy() of data into the page at pgoff of the VMM's mmap() of the file: the first touch faults
 * (kvm_gmem_fault_user_mapping(); VM_FAULT_OOM makes the access fault again, up to three times),
 * core mm maps the page and unlocks the folio, the copy goes through the user mapping, and
 * munmap() drops the PTE's reference. Returns 0, an error, or VM_FAULT_SIGBUS (the memcpy() dies).
 */
int vmm_mmap_write_page(struct file *file, pgoff_t pgoff, int data)
{
	struct page *page;
	vm_fault_t ret;
	int i;

	for (i = 0; i < 3; i++) {
		ret = kvm_gmem_fault_user_mapping(file, pgoff, &page);
		if (ret != VM_FAULT_OOM)
			break;
	}
	if (ret == VM_FAULT_OOM)
		return -ENOMEM;
	if (ret != VM_FAULT_LOCKED)
		return VM_FAULT_SIGBUS;

	/* an order-0 folio: the page is its folio */
	folio_unlock(page);
	__vmm_write(page, data);
	folio_put(page);
	return 0;
}

/*
 * mmap() of len bytes of the file at off (MAP_SHARED, or MAP_PRIVATE when shared is 0), then a
 * memcpy() of data into each page of the mapping in turn, until one fails. Returns 0, an error,
 * or VM_FAULT_SIGBUS (the memcpy() dies).
 */
int vmm_mmap_touch(struct file *file, unsigned long off, unsigned long len, int shared, int data)
{
	unsigned long pgoff;
	int r;

	r = ksys_mmap_pgoff(file, len, shared, off);
	if (r)
		return r;
	for (pgoff = off >> PAGE_SHIFT; (pgoff << PAGE_SHIFT) < off + len; pgoff++) {
		r = vmm_mmap_write_page(file, pgoff, data);
		if (r)
			return r;
	}
	return 0;
}

/*
 * close() of the file (file_close_fd() finds none for a closed fd): its last fput() queues
 * __fput(), which runs on the way back to user mode
 */
int vmm_close(struct file *file)
{
	if (!file)
		return -EBADF;
	fput(file);
	task_work_run();
	return 0;
}
