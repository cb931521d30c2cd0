/*
 * models fput() and __fput() of fs/file_table.c and task_work_run() of kernel/task_work.c (fput()
 * as a v6.x patch in the stored index shows it, index id 11246371735): the last reference of a
 * user task's file queues __fput() as task_work (TWA_RESUME), which runs when the task next
 * returns to user mode or enters the guest; a kernel thread's would go to delayed_fput, which no
 * modelled path needs.
 * The model has one kind of file, guest_memfd: __fput() calls its ->release() and the eviction of
 * its inode directly (no file_operations or super_operations pointers in the subset).
 */

/*
 * fput(): file_ref_put(); a put on a file already released is __file_ref_put()'s imbalanced put
 * (fs/file.c): it warns and releases nothing
 */
void fput(struct file *file)
{
	long left = fput_count(file);

	WARN_ON_ONCE(left < 0);
	if (left == 0)
		task_work_add(file);
}

/*
 * __fput(): ->release(), then dput() drops the last reference on the inode, whose eviction
 * truncates its pages (evict() -> truncate_inode_pages_final()), and file_free() frees the file
 */
static void __fput(struct file *file)
{
	struct inode *inode = file_inode(file);

	kvm_gmem_release(inode, file);
	truncate_inode_pages_final(inode->i_mapping);
	file_free(file);
}

void task_work_run(void)
{
	struct file *file;

	while ((file = task_work_pop()) != NULL)
		__fput(file);
}
