/*
 * models parts of include/linux/mmap_lock.h (gregkh/linux 6e88fe54): mm->mmap_lock is an
 * rw_semaphore. The _killable forms return 0: no modelled task is sent a fatal signal.
 */

static inline void mmap_read_lock(struct mm_struct *mm)
{
	down_read(&mm->mmap_lock);
}

static inline void mmap_read_unlock(struct mm_struct *mm)
{
	up_read(&mm->mmap_lock);
}

static inline void mmap_write_lock(struct mm_struct *mm)
{
	down_write(&mm->mmap_lock);
}

static inline void mmap_write_unlock(struct mm_struct *mm)
{
	up_write(&mm->mmap_lock);
}
