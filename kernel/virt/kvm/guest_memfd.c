/*
 * models virt/kvm/guest_memfd.c: the folio lookup and preparation, kvm_gmem_get_pfn(),
 * fallocate (allocate, PUNCH_HOLE), the invalidation of the bound VM, populate, the user mapping's
 * fault, memory errors and release, after torvalds/linux 0f94e51b (the functions as that tree has
 * them) and 01f492e1 (the invalidation); write() after the posted "add generic population via
 * write" v7 (2025-11-14); large folios after the huge-page series (see kvm_gmem_get_folio()); a
 * TD's PUNCH_HOLE after the TDX huge-page series v3 (January 2026, list archive). One VM and one
 * memslot over the whole file: the file's one binding is kvm's memslot, and indexes map to gfns
 * from slot->gmem.pgoff. The filter is PRIVATE: a VM whose file is INIT_SHARED has no memslot in
 * the model. The direct-map designs hook in where their series did (kernel/model/gmem_direct_map.c).
 */

#define MF_DELAYED			3

static inline pgoff_t kvm_gmem_get_index(struct kvm_memory_slot *slot, gfn_t gfn)
{
	return gfn - slot->base_gfn + slot->gmem.pgoff;
}

static inline gfn_t kvm_gmem_gfn(struct kvm_memory_slot *slot, pgoff_t index)
{
	return slot->base_gfn + index - slot->gmem.pgoff;
}

/*
 * kvm_gmem_get_folio(): the folio at index, locked, with a reference; allocated and added when
 * missing (filemap_grab_folio(), 0f94e51b). Mainline allocates order-0 folios only (and newer
 * trees WARN on a large one); the model's large folios (gmem.folio-order) follow the huge-page
 * series, which asks for a folio of the file's order over the aligned range.
 */
static struct folio *kvm_gmem_get_folio(struct inode *inode, pgoff_t index)
{
	struct address_space *mapping = inode->i_mapping;

	return __filemap_get_folio(mapping, index, FGP_LOCK | FGP_ACCESSED | FGP_CREAT |
				   fgf_set_order(mapping_max_folio_order(mapping)), mapping_gfp_mask(mapping));
}

/*
 * kvm_gmem_prepare_folio(): every page cleared, then marked uptodate (prepared); the arch hook
 * (__kvm_gmem_prepare_folio()) does nothing for the modelled VM types. The model passes the
 * inode and the file index where upstream passes (kvm, slot, gfn): the direct-map workload
 * prepares folios of a file no memslot is bound to.
 */
static int kvm_gmem_prepare_folio(struct inode *inode, pgoff_t index, struct folio *folio)
{
	long nr_pages = folio_nr_pages(folio);
	long i;

	for (i = 0; i < nr_pages; i++)
		dmap_clear_highpage(inode, folio_page(folio, i));
	folio_mark_uptodate(folio);
	return 0;
}

/*
 * __kvm_gmem_invalidate_begin(): in one mmu_lock section, the invalidation begins, [start, end)
 * is added, the leaves there are zapped, and the flush is done before the unlock. user_start and
 * user_end: what userspace asked for (ghost, for the over-zap oracle).
 */
void __kvm_gmem_invalidate_begin(struct kvm *kvm, pgoff_t start, pgoff_t end, pgoff_t user_start, pgoff_t user_end)
{
	struct kvm_memory_slot *slot = kvm->memslot;
	bool flush;

	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_begin(kvm);
	kvm_mmu_invalidate_range_add(kvm, kvm_gmem_gfn(slot, start), kvm_gmem_gfn(slot, end));
	flush = kvm_mmu_unmap_gfn_range(kvm, kvm_gmem_gfn(slot, start), kvm_gmem_gfn(slot, end), KVM_FILTER_PRIVATE,
					kvm_gmem_gfn(slot, user_start), kvm_gmem_gfn(slot, user_end));
	if (flush)
		kvm_flush_remote_tlbs(kvm);
	write_unlock(&kvm->mmu_lock);
}

/*
 * The TDX huge-page series' kvm_gmem_invalidate_begin() on a TD (v3): the invalidation begins
 * and its range is added in a first mmu_lock section; the leaves that cross the range's ends are
 * split in a second, which on failure ends the invalidation there and returns the error (nothing
 * was zapped); the zap and its flush in a third. Between the sections faults run their retry
 * check against the range recorded. (The name is the model's: the series changes
 * kvm_gmem_invalidate_begin() itself.)
 */
int kvm_gmem_invalidate_begin_tdx(struct kvm *kvm, pgoff_t start, pgoff_t end, pgoff_t user_start, pgoff_t user_end)
{
	struct kvm_memory_slot *slot = kvm->memslot;
	bool flush;
	int r;

	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_begin(kvm);
	kvm_mmu_invalidate_range_add(kvm, kvm_gmem_gfn(slot, start), kvm_gmem_gfn(slot, end));
	write_unlock(&kvm->mmu_lock);

	write_lock(&kvm->mmu_lock);
	r = kvm_split_cross_boundary_leafs(kvm, kvm_gmem_gfn(slot, start), kvm_gmem_gfn(slot, end));
	if (r) {
		kvm_mmu_invalidate_end(kvm);
		write_unlock(&kvm->mmu_lock);
		return r;
	}
	write_unlock(&kvm->mmu_lock);

	write_lock(&kvm->mmu_lock);
	flush = kvm_mmu_unmap_gfn_range(kvm, kvm_gmem_gfn(slot, start), kvm_gmem_gfn(slot, end), KVM_FILTER_PRIVATE,
					kvm_gmem_gfn(slot, user_start), kvm_gmem_gfn(slot, user_end));
	if (flush)
		kvm_flush_remote_tlbs(kvm);
	write_unlock(&kvm->mmu_lock);
	return 0;
}

/*
 * kvm_gmem_invalidate_begin(): the VM the file is bound to, if any (the model's one gmem_file on
 * the inode's list, whose one memslot covers the whole file: a range inside it has a binding); a TD splits first
 * (the TDX huge-page series), and the split's error is returned with the invalidation already
 * ended.
 */
static int kvm_gmem_invalidate_begin(struct inode *inode, pgoff_t start, pgoff_t end, pgoff_t user_start, pgoff_t user_end)
{
	struct kvm *kvm = __kvm_gmem_file_kvm(inode);

	if (!kvm || start >= end)
		return 0;
	if (kvm->vm_type == KVM_X86_TDX_VM)
		return kvm_gmem_invalidate_begin_tdx(kvm, start, end, user_start, user_end);
	__kvm_gmem_invalidate_begin(kvm, start, end, user_start, user_end);
	return 0;
}

/* __kvm_gmem_invalidate_end(): the sequence moves on and the invalidation ends, under mmu_lock */
void __kvm_gmem_invalidate_end(struct kvm *kvm)
{
	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_end(kvm);
	write_unlock(&kvm->mmu_lock);
}

static void kvm_gmem_invalidate_end(struct inode *inode, pgoff_t start, pgoff_t end)
{
	struct kvm *kvm = __kvm_gmem_file_kvm(inode);

	if (kvm && start < end)
		__kvm_gmem_invalidate_end(kvm);
}

/*
 * The part of [start, end) that the large folio of nr pages at first covers: the huge-page
 * series splits it (truncate_inode_partial_folio(); guest_memfd's mapping is inaccessible, so
 * nothing is zeroed). Returns 0 when it was split (the caller looks its index up again), 1 when
 * it is done with, and -EAGAIN when it stays whole: a VM may map its pages outside the range,
 * which the invalidation did not cover, so userspace is told to try again (with no VM bound the
 * clean folio goes whole, as truncate_inode_partial_folio() does).
 */
static int kvm_gmem_truncate_partial_folio(struct inode *inode, struct folio *folio, pgoff_t first, long nr,
					   pgoff_t start, pgoff_t end)
{
	struct address_space *mapping = inode->i_mapping;

	if (!split_folio(folio, mapping, NULL, 0))
		return 0;
	if (__kvm_gmem_file_kvm(inode))
		return -EAGAIN;
	truncate_inode_folio(mapping, folio, first, nr);
	return 1;
}

/*
 * PUNCH_HOLE's truncation of [start, end) (truncate_inode_pages_range() upstream; the huge-page
 * series' guest_memfd handles the large folios the range covers in part itself). One pass in
 * index order with a sleeping folio_lock() (upstream's find_lock_entries() trylocks and skips,
 * a second pass sleeps). Returns 0, or -EAGAIN when a partial folio stayed whole.
 */
static int kvm_gmem_truncate_range(struct inode *inode, pgoff_t start, pgoff_t end)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t index = start;
	struct folio *folio;
	pgoff_t first;
	long nr;
	int r = 0;
	int ret;

	while (index < end) {
		folio = filemap_lock_folio(mapping, index);
		if (IS_ERR(folio)) {
			index++;
			continue;
		}
		nr = folio_nr_pages(folio);
		first = ALIGN_DOWN(index, nr);
		if (first < start || first + nr > end) {
			ret = kvm_gmem_truncate_partial_folio(inode, folio, first, nr, start, end);
		} else {
			truncate_inode_folio(mapping, folio, first, nr);
			ret = 1;
		}
		folio_unlock(folio);
		folio_put(folio);
		if (ret < 0)
			r = ret;
		if (ret)
			index = first + nr;
	}
	return r;
}

/*
 * kvm_gmem_punch_hole(): under the invalidate lock, the bound VM's mappings of the range are
 * zapped with the invalidation in progress, the range is truncated, and the invalidation ends. A
 * TD's failed split returns its error before anything was zapped (and with the invalidation
 * ended); a partial folio that cannot be split makes it -EAGAIN.
 */
static long kvm_gmem_punch_hole(struct inode *inode, loff_t offset, loff_t len)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t start = offset >> PAGE_SHIFT;
	pgoff_t end = min((offset + len) >> PAGE_SHIFT, i_size_read(inode) >> PAGE_SHIFT);
	int r;

	filemap_invalidate_lock(mapping);

	r = kvm_gmem_invalidate_begin(inode, start, end, start, end);
	if (r)
		goto out_unlock;

	r = kvm_gmem_truncate_range(inode, start, end);

	kvm_gmem_invalidate_end(inode, start, end);
out_unlock:
	filemap_invalidate_unlock(mapping);
	return r;
}

/*
 * kvm_gmem_allocate(): under the shared invalidate lock, each missing folio of the range is
 * allocated and added, then unlocked and put: it stays in the page cache, neither zeroed nor
 * uptodate.
 */
static long kvm_gmem_allocate(struct inode *inode, loff_t offset, loff_t len)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t start, index, end;
	struct folio *folio;
	long nr;
	long r;

	/* Dedicated guest is immutable by default. */
	if (offset + len > i_size_read(inode))
		return -EINVAL;

	filemap_invalidate_lock_shared(mapping);

	start = offset >> PAGE_SHIFT;
	end = (offset + len) >> PAGE_SHIFT;

	r = 0;
	for (index = start; index < end; ) {
		folio = kvm_gmem_get_folio(inode, index);
		if (IS_ERR(folio)) {
			r = PTR_ERR(folio);
			break;
		}

		/* folio_next_index() */
		nr = folio_nr_pages(folio);
		index = ALIGN_DOWN(index, nr) + nr;

		folio_unlock(folio);
		folio_put(folio);
	}

	filemap_invalidate_unlock_shared(mapping);
	return r;
}

/* kvm_gmem_fallocate(): the mode and alignment checks, in upstream's order */
long kvm_gmem_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	if (!(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;

	if (!PAGE_ALIGNED(offset) || !PAGE_ALIGNED(len))
		return -EINVAL;

	if (mode & FALLOC_FL_PUNCH_HOLE)
		return kvm_gmem_punch_hole(file_inode(file), offset, len);
	return kvm_gmem_allocate(file_inode(file), offset, len);
}

/*
 * __kvm_gmem_create(): the inode, its page cache and the file. The model's machine builds them
 * before any path runs (the scenario's first create that succeeds is the file the others use),
 * and nothing else can reach the file before its creator hands it on: no step here. Returns the
 * new fd, which the model's programs name by the file.
 */
static int __kvm_gmem_create(struct kvm *kvm, loff_t size, u64 flags)
{
	return 0;
}

/* kvm_gmem_create(): KVM_CREATE_GUEST_MEMFD's checks of args->flags and args->size, in order */
int kvm_gmem_create(struct kvm *kvm, loff_t size, u64 flags)
{
	if (flags & ~kvm_gmem_get_supported_flags(kvm))
		return -EINVAL;

	if (size <= 0 || !PAGE_ALIGNED(size))
		return -EINVAL;

	return __kvm_gmem_create(kvm, size, flags);
}

/*
 * kvm_gmem_bind(): the file's range [offset, offset + size) must lie inside it and be bound by no
 * memslot yet (upstream: xa_find() in the file's bindings). The model's VM has one memslot at
 * most, over the whole file: old, when it exists, binds every index. The binding itself is
 * made with the machine, like the file.
 */
int kvm_gmem_bind(struct kvm *kvm, struct kvm_memory_slot *old, struct file *file, loff_t offset, u64 size)
{
	struct inode *inode = file_inode(file);

	if (offset < 0 || !PAGE_ALIGNED(offset) || offset + size > i_size_read(inode))
		return -EINVAL;

	if (old)
		return -EINVAL;

	return 0;
}

/*
 * kvm_gmem_release(): the file's last reference is gone. Under slots_lock and the invalidate
 * lock, slot->gmem.file becomes NULL (later kvm_gmem_get_pfn() calls fail with -EFAULT), every
 * mapping of the file is zapped, and the file leaves the inode's list (later invalidations of the
 * inode, a memory error's, find no VM); the memory lives on with the inode. inode->gmem.kvm is
 * the file's own f->kvm, which does not change. Last, the file's reference on the VM
 * (kvm_get_kvm() in __kvm_gmem_create()) goes: kvm_put_kvm() may destroy the VM, so nothing of
 * it is touched after. A file no memslot was bound to has no VM in the model (upstream
 * it still has the one that created it, whose slots_lock no modelled path contends for).
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
		mutex_unlock(&kvm->slots_lock);
		kvm_put_kvm(kvm);
	}
	return 0;
}

/*
 * kvm_gmem_get_file(): get_file_active(&slot->gmem.file): the read of the slot's file, then a
 * reference unless its last one is already gone (release is coming).
 */
static inline struct file *kvm_gmem_get_file(struct kvm_memory_slot *slot)
{
	struct file *file = kvm_slot_gmem_file(slot);

	if (!file || !get_file_active(file))
		return NULL;
	return file;
}

/* __kvm_gmem_unbind(): the slot's bindings (not modelled: one memslot over the whole file) and slot->gmem.file cleared */
static void __kvm_gmem_unbind(struct kvm_memory_slot *slot)
{
	kvm_slot_gmem_file_clear(slot);
}

/*
 * kvm_gmem_unbind(): a memslot freed while bound (kvm_free_memslot() of kvm_destroy_vm() in the
 * model: no memslot is deleted): nothing to do if the file already went, its bindings removed
 * without the invalidate lock if it is being closed (kvm_gmem_release() cannot have destroyed them,
 * since it puts its reference on the VM only after), else under the file's invalidate lock.
 */
void kvm_gmem_unbind(struct kvm_memory_slot *slot)
{
	struct file *file;

	if (!kvm_slot_gmem_file(slot))
		return;

	file = kvm_gmem_get_file(slot);
	if (!file) {
		__kvm_gmem_unbind(slot);
		return;
	}

	filemap_invalidate_lock(file->f_mapping);
	__kvm_gmem_unbind(slot);
	filemap_invalidate_unlock(file->f_mapping);
	fput(file);
}

/*
 * __kvm_gmem_get_pfn(): the folio of index, locked, with a reference; -EHWPOISON for a poisoned
 * one. The checks of slot->gmem.file and of the binding cannot fail in the model (the caller
 * holds a file reference, and one memslot is bound to the whole file). *max_order is the folio's
 * order, as the huge-page series reports it (mainline: 0).
 */
static struct folio *__kvm_gmem_get_pfn(struct file *file, struct kvm_memory_slot *slot, pgoff_t index,
					kvm_pfn_t *pfn, bool *is_prepared, int *max_order)
{
	struct folio *folio;
	int order;

	folio = kvm_gmem_get_folio(file_inode(file), index);
	if (IS_ERR(folio))
		return folio;

	if (folio_test_hwpoison(folio)) {
		folio_unlock(folio);
		folio_put(folio);
		return ERR_PTR(-EHWPOISON);
	}

	order = folio_order(folio);
	*pfn = folio_pfn(folio) + (index & ((1 << order) - 1));
	if (max_order)
		*max_order = order;

	*is_prepared = folio_test_uptodate(folio);
	return folio;
}

/*
 * kvm_gmem_get_pfn(): the pfn of gfn with a reference on its page, the folio prepared; no
 * invalidate_lock, mmu_lock or SRCU: the caller's mmu_invalidate_seq check covers the race with
 * an invalidation. The file reference goes at the end; if it was the last, the release runs as
 * the task's task_work.
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

	if (!is_prepared)
		r = kvm_gmem_prepare_folio(file_inode(file), index, folio);
	if (!r)
		r = dmap_folio_prepared(file_inode(file), folio);

	folio_unlock(folio);

	if (!r)
		*page = *pfn;
	else
		folio_put(folio);

out:
	fput(file);
	return r;
}

/*
 * __kvm_gmem_populate() of one page (2a62345b30529) with tdx_gmem_post_populate() as
 * post_populate: under the file's invalidate lock, the folio (locked, then unlocked with its
 * reference kept; -EEXIST if already prepared, as 0f94e51b has it: the preparation tracking that
 * the same series removed in 8622ef05 is kept, as in the rest of this file), the PRIVATE
 * attribute check, the TDX callback (which faults the page into the S-EPT through
 * kvm_tdp_map_page() and copies the image in), the folio marked prepared and put.
 */
static long __kvm_gmem_populate(struct kvm *kvm, struct kvm_memory_slot *slot, struct file *file, gfn_t gfn,
				struct page *src_page, int data)
{
	pgoff_t index = kvm_gmem_get_index(slot, gfn);
	bool is_prepared = false;
	struct folio *folio;
	kvm_pfn_t pfn;
	int ret;

	filemap_invalidate_lock(file->f_mapping);

	folio = __kvm_gmem_get_pfn(file, slot, index, &pfn, &is_prepared, NULL);
	if (IS_ERR(folio)) {
		ret = PTR_ERR(folio);
		goto out_unlock;
	}

	if (is_prepared) {
		folio_unlock(folio);
		ret = -EEXIST;
		goto out_put_folio;
	}

	folio_unlock(folio);

	if (!kvm_range_has_memory_attributes(kvm, gfn, gfn + 1, KVM_MEMORY_ATTRIBUTE_PRIVATE,
					     KVM_MEMORY_ATTRIBUTE_PRIVATE)) {
		ret = -EINVAL;
		goto out_put_folio;
	}

	ret = tdx_gmem_post_populate(kvm, gfn, pfn, src_page, data);
	if (!ret)
		folio_mark_uptodate(folio);

out_put_folio:
	folio_put(folio);
out_unlock:
	filemap_invalidate_unlock(file->f_mapping);
	return ret;
}

/*
 * kvm_gmem_populate() (2a62345b30529, "GUP source pages prior to populating guest memory"): for
 * each page, the source page is pinned with get_user_pages_fast() (from page src of mm, the
 * caller's current->mm) before __kvm_gmem_populate() takes the invalidate lock, so a fault on the
 * source, which takes mmap_lock, never runs under it; the pin is dropped after. TDX always hands
 * in a source (SNP's ZERO pages, which have none, are not modelled). The caller holds
 * slots_lock. Returns the pages done, or the error if none was.
 */
long kvm_gmem_populate(struct kvm *kvm, gfn_t start_gfn, struct mm_struct *mm, unsigned long src, long npages, int data)
{
	struct kvm_memory_slot *slot = gfn_to_memslot(kvm, start_gfn);
	struct page *src_page;
	struct file *file;
	int ret = 0;
	long i;

	if (!slot)
		return -EINVAL;

	file = kvm_gmem_get_file(slot);
	if (!file)
		return -EFAULT;

	npages = min(slot->npages - (start_gfn - slot->base_gfn), npages);
	for (i = 0; i < npages; i++) {
		src_page = NULL;

		ret = get_user_pages_fast(mm, src + i, 1, 0, &src_page);
		if (ret < 0)
			break;
		if (ret != 1) {
			ret = -ENOMEM;
			break;
		}

		ret = __kvm_gmem_populate(kvm, slot, file, start_gfn + i, src_page, data);

		put_page(src_page);

		if (ret)
			break;
	}

	fput(file);
	return ret && !i ? ret : i;
}

#define VM_FAULT_OOM		0x0001
#define VM_FAULT_SIGBUS		0x0002
#define VM_FAULT_LOCKED		0x0200
#define VM_FAULT_RETRY		0x0400

/* vmf_error() */
static inline vm_fault_t vmf_error(int err)
{
	if (err == -ENOMEM)
		return VM_FAULT_OOM;
	return VM_FAULT_SIGBUS;
}

/* kvm_gmem_supports_mmap() */
static inline bool kvm_gmem_supports_mmap(struct inode *inode)
{
	return (inode->i_private & GUEST_MEMFD_FLAG_MMAP) != 0;
}

/*
 * kvm_gmem_mmap(): the file's ->mmap. Only a file created with MMAP, and only a shared mapping
 * (VM_SHARED and VM_MAYSHARE: MAP_SHARED of the O_RDWR file). The VMA is not modelled: the
 * VMM's accesses reach kvm_gmem_fault_user_mapping() page by page.
 */
int kvm_gmem_mmap(struct file *file, int shared)
{
	if (!kvm_gmem_supports_mmap(file_inode(file)))
		return -ENODEV;

	if (!shared)
		return -EINVAL;

	return 0;
}

/*
 * kvm_gmem_fault_user_mapping(): the vm_ops->fault of an mmap()ed guest_memfd at pgoff: the folio
 * locked, its first page cleared if not yet uptodate; returns VM_FAULT_LOCKED with *page, which
 * core mm maps and unlocks. A large folio is refused with a warning.
 */
vm_fault_t kvm_gmem_fault_user_mapping(struct file *file, pgoff_t pgoff, struct page **page)
{
	struct inode *inode = file_inode(file);
	vm_fault_t ret = VM_FAULT_LOCKED;
	struct folio *folio;
	int err;

	if ((pgoff << PAGE_SHIFT) >= i_size_read(inode))
		return VM_FAULT_SIGBUS;

	if (!(inode->i_private & GUEST_MEMFD_FLAG_INIT_SHARED))
		return VM_FAULT_SIGBUS;

	folio = kvm_gmem_get_folio(inode, pgoff);
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

/*
 * kvm_gmem_write_begin() of the write() series: a chunk of len bytes at pos (at most the rest of
 * pos's page) of a file created with WRITE, inside i_size and page-aligned: the folio at pos,
 * locked with a reference.
 */
static int kvm_gmem_write_begin(struct file *file, loff_t pos, long len, struct folio **foliop)
{
	struct inode *inode = file_inode(file);
	struct folio *folio;
	int r;

	if (!(inode->i_private & GUEST_MEMFD_FLAG_WRITE))
		return -ENODEV;

	if (pos + len > i_size_read(inode))
		return -EINVAL;

	if (!PAGE_ALIGNED(pos) || !PAGE_ALIGNED(len))
		return -EINVAL;

	folio = kvm_gmem_get_folio(inode, pos >> PAGE_SHIFT);
	if (IS_ERR(folio))
		return PTR_ERR(folio);

	r = dmap_write_begin(inode, folio);
	if (r) {
		folio_unlock(folio);
		folio_put(folio);
		return r;
	}
	*foliop = folio;
	return 0;
}

/* kvm_gmem_write_end(): a whole page was copied, so no tail to zero: uptodate, unlock, put */
static int kvm_gmem_write_end(struct file *file, struct folio *folio)
{
	int r;

	if (!folio_test_uptodate(folio))
		folio_mark_uptodate(folio);

	r = dmap_folio_prepared(file_inode(file), folio);
	folio_unlock(folio);
	folio_put(folio);
	return r;
}

/*
 * kvm_gmem_write(): generic_perform_write() of len bytes of data (a user buffer named by its
 * content) at pos, a chunk of at most a page at a time: write_begin, the copy into the folio
 * through kmap_local_page(), write_end. Returns the bytes written, or the first error if none
 * were.
 */
long kvm_gmem_write(struct file *file, loff_t pos, long len, int data)
{
	struct folio *folio;
	long written = 0;
	long chunk;
	int r = 0;

	while (written < len) {
		chunk = min(PAGE_SIZE - ((pos + written) & (PAGE_SIZE - 1)), len - written);
		r = kvm_gmem_write_begin(file, pos + written, chunk, &folio);
		if (r)
			break;
		dmap_copy_from_user(file_inode(file), folio_page(folio, ((pos + written) >> PAGE_SHIFT) & (folio_nr_pages(folio) - 1)), data);
		r = kvm_gmem_write_end(file, folio);
		if (r)
			break;
		written += chunk;
	}
	return written ? written : r;
}

/*
 * kvm_gmem_error_folio(): a_ops->error_remove_folio, called by memory_failure() with the folio
 * locked: under the shared invalidate lock, the folio's range is invalidated in the bound VM (no
 * truncation: a later kvm_gmem_get_pfn() sees the poison and returns -EHWPOISON).
 */
int kvm_gmem_error_folio(struct address_space *mapping, struct folio *folio)
{
	pgoff_t start, end;

	filemap_invalidate_lock_shared(mapping);

	start = folio_index(folio);
	end = start + folio_nr_pages(folio);

	kvm_gmem_invalidate_begin(mapping->host, start, end, start, end);

	/* Do not truncate the range: userspace decides what a memory error costs. */

	kvm_gmem_invalidate_end(mapping->host, start, end);

	filemap_invalidate_unlock_shared(mapping);

	return MF_DELAYED;
}

/*
 * kvm_gmem_free_folio(): a_ops->free_folio, once the folio has left the page cache (other holders
 * may still have references). kvm_arch_gmem_invalidate() does nothing for the modelled VM types;
 * the direct-map series restore the direct map here (their variant files).
 */
void kvm_gmem_free_folio(struct folio *folio, long nr)
{
}

/* kvm_gmem_migrate_folio(): guest_memfd folios never move (their mapping is inaccessible) */
int kvm_gmem_migrate_folio(struct address_space *mapping, struct folio *dst, struct folio *src, pgoff_t index, long nr)
{
	WARN_ON_ONCE(1);
	return -EINVAL;
}
