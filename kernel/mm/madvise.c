/*
 * models madvise() as far as a mapping of a guest_memfd goes (mm/madvise.c, gregkh/linux
 * 6e88fe54; MADV_COLLAPSE goes on in kernel/mm/khugepaged.c): the lock the
 * advice needs (get_lock_mode(): MADV_HUGEPAGE changes VMA flags, mmap_lock for write;
 * MADV_COLLAPSE, mmap_lock for read; MADV_DONTNEED takes the per-VMA lock where it can, and the
 * model, which has no per-VMA lock, takes its fallback, mmap_lock for read), then the advice on
 * the one VMA. The VMA is not modelled: MADV_HUGEPAGE's VM_HUGEPAGE has nothing to set, and
 * MADV_DONTNEED has no user PTE of the file to zap (each modelled access dropped its page's
 * reference when it was done).
 */

#define MADV_DONTNEED	4
#define MADV_HUGEPAGE	14
#define MADV_COLLAPSE	25

/* madvise_vma_behavior() for the one VMA, as an if chain in the order of its switch */
static int madvise_vma_behavior(struct file *file, int behavior)
{
	if (behavior == MADV_DONTNEED)
		return 0;
	if (behavior == MADV_COLLAPSE)
		return madvise_collapse(file);
	/* MADV_HUGEPAGE: hugepage_madvise() sets VM_HUGEPAGE */
	return 0;
}

/* madvise_lock() / madvise_unlock(): MADV_HUGEPAGE for write, the others for read */
static void madvise_lock(struct mm_struct *mm, int behavior)
{
	if (behavior == MADV_HUGEPAGE)
		mmap_write_lock(mm);
	else
		mmap_read_lock(mm);
}

static void madvise_unlock(struct mm_struct *mm, int behavior)
{
	if (behavior == MADV_HUGEPAGE)
		mmap_write_unlock(mm);
	else
		mmap_read_unlock(mm);
}

/* do_madvise() of the VMA that maps file: the lock, the advice, the unlock */
int do_madvise(struct mm_struct *mm, struct file *file, int behavior)
{
	int error;

	madvise_lock(mm, behavior);
	error = madvise_vma_behavior(file, behavior);
	madvise_unlock(mm, behavior);
	return error;
}
