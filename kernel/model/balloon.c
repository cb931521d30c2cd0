/*
 * models no upstream kernel function: the two ends of a virtio-balloon inflate, as the workload
 * that hands a guest page to the VMM's PUNCH_HOLE. The guest end follows the order of
 * drivers/virtio/virtio_balloon.c fill_balloon() (the page is the guest's to give once it stops
 * using it; an init_on_free guest scrubs it first), the VMM end that of QEMU's
 * virtio_balloon_handle_output() (virtqueue_pop(), then ram_block_discard_range()'s fallocate()).
 * The device's queue orders them: the VMM never punches a page the guest has not handed over.
 */

/*
 * The guest gives the page at file index back: scrubbed first when it was told to (init_on_free
 * in the guest), through the mapping it made when it touched the page; then told to the host.
 */
void guest_balloon_release(struct virtio_balloon *vb, pgoff_t index, bool scrub)
{
	struct page *page = __guest_page(index);

	if (scrub && page)
		__guest_write(page, 0);
	virtio_balloon_inflate(vb, index);
	if (page)
		__guest_unmapped(page);
}

/* The VMM's handler of the inflate queue: the next page the guest returned, punched out of the file. */
long virtio_balloon_handle_output(struct virtio_balloon *vb, struct file *file)
{
	pgoff_t index = virtqueue_pop(vb);

	return vmm_fallocate(file, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, index << PAGE_SHIFT, PAGE_SIZE);
}
