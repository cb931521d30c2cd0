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
 * The user fault of the page at pgoff of the VMM's mmap() of the file, as core mm handles it:
 * do_user_addr_fault() under mmap_lock for read (lock_mm_and_find_vma()). The per-VMA lock that
 * upstream tries first is not modelled: for this VMA, vmf_can_call_fault() (mm/memory.c) drops it
 * and returns VM_FAULT_RETRY, because kvm_gmem_vm_ops has no ->map_pages, so every guest_memfd
 * fault ends up here. Then handle_mm_fault() ->
 * do_shared_fault() -> kvm_gmem_fault_user_mapping(); on VM_FAULT_LOCKED finish_fault() maps the
 * page and the folio is unlocked before the lock is dropped. VM_FAULT_OOM makes the access fault
 * again, up to three times. Returns 0 with *page, -ENOMEM, or VM_FAULT_SIGBUS (the access dies).
 */
static int vmm_user_fault(struct mm_struct *mm, struct file *file, pgoff_t pgoff, struct page **page)
{
	vm_fault_t ret;
	int i;

	for (i = 0; i < 3; i++) {
		mmap_read_lock(mm);
		ret = kvm_gmem_fault_user_mapping(file, pgoff, page);
		/* an order-0 folio: the page is its folio */
		if (ret == VM_FAULT_LOCKED)
			folio_unlock(*page);
		mmap_read_unlock(mm);
		if (ret != VM_FAULT_OOM)
			break;
	}
	if (ret == VM_FAULT_OOM)
		return -ENOMEM;
	if (ret != VM_FAULT_LOCKED)
		return VM_FAULT_SIGBUS;
	return 0;
}

/*
 * memcpy() of data into the page at pgoff of the VMM's mmap() of the file: the fault of the first
 * touch, the copy through the user mapping, and munmap()'s put of the PTE's reference. Returns
 * 0, an error, or VM_FAULT_SIGBUS (the memcpy() dies).
 */
int vmm_mmap_write_page(struct mm_struct *mm, struct file *file, pgoff_t pgoff, int data)
{
	struct page *page;
	int r;

	r = vmm_user_fault(mm, file, pgoff, &page);
	if (r)
		return r;
	__vmm_write(page, data);
	folio_put(page);
	return 0;
}

/*
 * A load from the page at pgoff of the VMM's mmap() of the file: the same fault (a read fault of a
 * shared mapping takes the same path), the load through the user mapping, munmap()'s put. The
 * program checks what it read (expect, site: __expect_data()). Returns 0, an error, or
 * VM_FAULT_SIGBUS.
 */
int vmm_mmap_read_page(struct mm_struct *mm, struct file *file, pgoff_t pgoff, int expect, int site)
{
	struct page *page;
	int got;
	int r;

	r = vmm_user_fault(mm, file, pgoff, &page);
	if (r)
		return r;
	got = __vmm_read(page);
	folio_put(page);
	__expect_data(got, expect, site, page);
	return 0;
}

/*
 * mmap() of len bytes of the file at off, then a load from each page in turn until one fails
 * (the selftests' READ_ONCE() loops). Returns 0, an error, or VM_FAULT_SIGBUS.
 */
int vmm_mmap_read(struct mm_struct *mm, struct file *file, unsigned long off, unsigned long len, int shared, int expect, int site)
{
	unsigned long pgoff;
	int r;

	r = ksys_mmap_pgoff(mm, file, len, shared, off);
	if (r)
		return r;
	for (pgoff = off >> PAGE_SHIFT; (pgoff << PAGE_SHIFT) < off + len; pgoff++) {
		r = vmm_mmap_read_page(mm, file, pgoff, expect, site);
		if (r)
			return r;
	}
	return 0;
}

/*
 * mmap() of len bytes of the file at off (MAP_SHARED, or MAP_PRIVATE when shared is 0), then a
 * memcpy() of data into each page of the mapping in turn, until one fails. Returns 0, an error,
 * or VM_FAULT_SIGBUS (the memcpy() dies).
 */
int vmm_mmap_touch(struct mm_struct *mm, struct file *file, unsigned long off, unsigned long len, int shared, int data)
{
	unsigned long pgoff;
	int r;

	r = ksys_mmap_pgoff(mm, file, len, shared, off);
	if (r)
		return r;
	for (pgoff = off >> PAGE_SHIFT; (pgoff << PAGE_SHIFT) < off + len; pgoff++) {
		r = vmm_mmap_write_page(mm, file, pgoff, data);
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

/*
 * close() of the VM fd: its last fput() runs kvm_vm_release() (its __fput() is task_work the task
 * runs before close() returns to userspace; the VM fd's struct file is not modelled, so the call
 * is direct). Returns 0, or -EBADF for the fd already closed.
 */
int vmm_close_vm(struct kvm *kvm)
{
	if (!kvm)
		return -EBADF;
	kvm_vm_release(kvm);
	return 0;
}

/*
 * fstat() of the file, and the program's checks of st_size and st_blksize (expect: -1 for none;
 * site_size, site_blksize: the operation). Returns 0 or -EBADF.
 */
int vmm_fstat(struct file *file, loff_t expect_size, long expect_blksize, int site_size, int site_blksize)
{
	loff_t size = 0;
	long blksize = 0;
	int r;

	r = vfs_fstat(file, &size, &blksize);
	if (r)
		return r;
	__expect_value(size, expect_size, site_size);
	__expect_value(blksize, expect_blksize, site_blksize);
	return 0;
}

/*
 * KVM_TDX_INIT_MEM_REGION of pages from gfn, its source the VMM's buffer at page src of its
 * anonymous memory; then the VMM unmaps the buffer. The image's content is named by data (the
 * TD's private data): the model pins the source page, it does not read it.
 */
int vmm_init_mem_region(struct kvm *kvm, struct mm_struct *mm, gfn_t gfn, long pages, unsigned long src, int data)
{
	int r;

	r = tdx_vcpu_init_mem_region(kvm, gfn, pages, mm, src, data);
	vm_munmap(mm, src, pages);
	return r;
}

/* mmap() of anonymous memory (a thread's malloc() of a large block): a VMA under mmap_lock for write */
int vmm_mmap_anon(struct mm_struct *mm)
{
	return vm_mmap_pgoff(mm, NULL, PAGE_SIZE, 0);
}

/*
 * mmap() of len bytes of the file at off (MAP_SHARED), then madvise() of the mapping with
 * advice (MADV_HUGEPAGE, MADV_COLLAPSE or MADV_DONTNEED). Returns madvise()'s result, or the
 * mmap()'s error.
 */
int vmm_madvise(struct mm_struct *mm, struct file *file, unsigned long off, unsigned long len, int advice)
{
	int r;

	r = ksys_mmap_pgoff(mm, file, len, 1, off);
	if (r)
		return r;
	return do_madvise(mm, file, advice);
}

/*
 * What the VMM does with KVM_CHECK_EXTENSION's answer (value, worked out when the machine was
 * laid out, as create's and bind's checks are): the program's checks of it, the whole value
 * (expect) and the bits it must report (bits); -1 for none, site and site_bits the operation.
 * Returns 0.
 */
int vmm_check_extension(long value, long expect, long bits, int site, int site_bits)
{
	__expect_value(value, expect, site);
	if (bits >= 0)
		__expect_value(value & bits, bits, site_bits);
	return 0;
}

/*
 * KVM_CREATE_GUEST_MEMFD and KVM_SET_USER_MEMORY_REGION2 as a run makes them: the file and the
 * memslot exist from boot, built by what kvm_gmem_create() and kvm_set_memory_region() decided
 * when the scenario loaded (their argument checks ran on this source then), so what is left of
 * the call is its result.
 */
int vmm_decided(int r)
{
	return r;
}
