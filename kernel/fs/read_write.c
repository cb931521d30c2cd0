/*
 * models fs/read_write.c (gregkh/linux): ksys_read(), vfs_read(), ksys_pread64() and
 * ksys_pwrite64() as far as a guest_memfd goes. Its kvm_gmem_fops has no ->read and no ->read_iter, upstream and in the
 * write() series v7, so FMODE_CAN_READ is never set; the write() series gives it ->write_iter
 * and FMODE_PWRITE, and its write_iter is kvm_gmem_write()'s generic_perform_write(). Neither
 * sets FMODE_PREAD (alloc_file_pseudo() opens with OPEN_FMODE() of O_RDWR only), so pread() stops
 * at -ESPIPE before vfs_read(). The model's
 * fd table gives NULL for a closed fd. Not modelled: the FMODE_READ/FMODE_WRITE checks (the file
 * is O_RDWR), rw_verify_area()'s and MAX_RW_COUNT's limits, file_start_write() and fsnotify.
 */

/* vfs_read(): no FMODE_CAN_READ */
long vfs_read(struct file *file, long count)
{
	return -EINVAL;
}

long ksys_read(struct file *file, long count)
{
	if (!file)
		return -EBADF;
	return vfs_read(file, count);
}

/* ksys_pread64(): a negative position first, then the fd, then FMODE_PREAD, which guest_memfd never has */
long ksys_pread64(struct file *file, long count, loff_t pos)
{
	if (pos < 0)
		return -EINVAL;
	if (!file)
		return -EBADF;
	return -ESPIPE;
}

/* ksys_pwrite64(): a negative position first, then the fd; vfs_write() reaches ->write_iter */
long ksys_pwrite64(struct file *file, long count, loff_t pos, int data)
{
	if (pos < 0)
		return -EINVAL;
	if (!file)
		return -EBADF;
	return kvm_gmem_write(file, pos, count, data);
}
