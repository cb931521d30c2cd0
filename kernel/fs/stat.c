/*
 * models fs/stat.c vfs_fstat() -> vfs_getattr() -> generic_fillattr() as far as a guest_memfd goes
 * (generic_fillattr() as a v6.13-or-later copy in the stored index shows it, index id 60755203248,
 * with multigrain timestamps; the index names no commit; read on 2026-12-07): kvm_gmem_iops has no ->getattr,
 * so the generic attributes are what fstat() reports. Of struct kstat the model keeps the two
 * fields the selftests check: st_size (i_size_read()) and st_blksize (i_blocksize(): 1 <<
 * i_blkbits). The model's fd table gives NULL for a closed fd.
 */

/* generic_fillattr(), the fields modelled */
static void generic_fillattr(struct inode *inode, loff_t *size, long *blksize)
{
	*size = i_size_read(inode);
	*blksize = 1 << inode->i_blkbits;
}

/* vfs_fstat(): the fd, then vfs_getattr() of its file */
int vfs_fstat(struct file *file, loff_t *size, long *blksize)
{
	if (!file)
		return -EBADF;
	generic_fillattr(file_inode(file), size, blksize);
	return 0;
}
