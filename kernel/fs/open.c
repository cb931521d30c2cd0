/*
 * models fs/open.c vfs_fallocate() as it checks the mode since 2024 ("fs: sort out the fallocate
 * mode mess", a switch on mode & FALLOC_FL_MODE_MASK; the posting in the stored list archive), up
 * to the file's ->fallocate(), which for a guest_memfd is kvm_gmem_fallocate(). The subset has no
 * switch: its cases are an if chain in the same order. Not modelled: the FMODE_WRITE, append-only,
 * swapfile and i_size overflow checks (the model's file is a writable, unlimited regular file),
 * file_start_write() and fsnotify.
 */

long vfs_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	int how;

	if (offset < 0 || len <= 0)
		return -EINVAL;

	if (mode & ~(FALLOC_FL_MODE_MASK | FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;

	/* the modes exclude each other; FALLOC_FL_ALLOCATE_RANGE is no bit at all */
	how = mode & FALLOC_FL_MODE_MASK;
	if (how == FALLOC_FL_PUNCH_HOLE) {
		if (!(mode & FALLOC_FL_KEEP_SIZE))
			return -EOPNOTSUPP;
	} else if (how == FALLOC_FL_COLLAPSE_RANGE || how == FALLOC_FL_INSERT_RANGE) {
		if (mode & FALLOC_FL_KEEP_SIZE)
			return -EOPNOTSUPP;
	} else if (how != FALLOC_FL_ALLOCATE_RANGE && how != FALLOC_FL_UNSHARE_RANGE && how != FALLOC_FL_ZERO_RANGE) {
		return -EOPNOTSUPP;
	}

	return kvm_gmem_fallocate(file, mode, offset, len);
}

/* ksys_fallocate(): the fd's file (the model's fd table gives NULL for a closed fd), then vfs_fallocate() */
long ksys_fallocate(struct file *file, int mode, loff_t offset, loff_t len)
{
	if (!file)
		return -EBADF;
	return vfs_fallocate(file, mode, offset, len);
}
