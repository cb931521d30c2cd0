/*
 * models parts of include/linux/fs.h (gregkh/linux 6e88fe54): the invalidate_lock helpers of an
 * address_space, file_inode(), i_size_read() and get_file(). In the model a guest_memfd's struct file, inode
 * and address_space are one owner and one handle; their fixed fields are set by the machine.
 */

static inline struct inode *file_inode(struct file *file)
{
	return file->f_inode;
}

/*
 * IS_ANON_FILE(): the inode is an anonymous one (S_ANON_INODE). The only file the model has is a
 * guest_memfd, whose inode always is.
 */
static inline bool IS_ANON_FILE(struct inode *inode)
{
	return true;
}

/* i_size_read(): guest_memfd cannot be resized, so the size is a fixed field */
static inline loff_t i_size_read(struct inode *inode)
{
	return inode->i_size;
}

/*
 * get_file(): one more reference for a caller that already holds one, through file_ref_inc()
 * (include/linux/file_ref.h), which warns when the count before was negative: the file was
 * released, and the increment revives nothing.
 */
static inline struct file *get_file(struct file *f)
{
	long prior = file_ref_fetch_inc(f);

	WARN_ON_ONCE(prior < 0);
	return f;
}

static inline void filemap_invalidate_lock(struct address_space *mapping)
{
	down_write(&mapping->invalidate_lock);
}

static inline void filemap_invalidate_unlock(struct address_space *mapping)
{
	up_write(&mapping->invalidate_lock);
}

static inline void filemap_invalidate_lock_shared(struct address_space *mapping)
{
	down_read(&mapping->invalidate_lock);
}

static inline int filemap_invalidate_trylock_shared(struct address_space *mapping)
{
	return down_read_trylock(&mapping->invalidate_lock);
}

static inline void filemap_invalidate_unlock_shared(struct address_space *mapping)
{
	up_read(&mapping->invalidate_lock);
}
