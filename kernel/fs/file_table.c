/*
 * models fput() and __fput() of fs/file_table.c and task_work_run() of kernel/task_work.c (fput()
 * as a v6.x patch in the stored index shows it, index id 11246371735): the last reference of a
 * user task's file queues __fput() as task_work (TWA_RESUME), which runs when the task next
 * returns to user mode or enters the guest; a kernel thread's would go to delayed_fput, which no
 * modelled path needs.
 * The model has one kind of file, guest_memfd: __fput() calls its ->release() and the eviction of
 * its inode directly (no file_operations or super_operations pointers in the subset).
 */

void fput(struct file *file)
{
	if (fput_count(file) == 0)
		task_work_add(file);
}

/* __fput(): ->release(), then the last reference on the inode evicts it */
static void __fput(struct file *file)
{
	struct inode *inode = file_inode(file);

	kvm_gmem_release(inode, file);
	truncate_inode_pages_final(inode->i_mapping);
}

void task_work_run(void)
{
	struct file *file;

	while ((file = task_work_pop()) != NULL)
		__fput(file);
}
