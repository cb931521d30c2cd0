/*
 * models no upstream function: a machine check on the frame that backs a page of the guest_memfd,
 * as the workload that drives memory_failure(). Which frame fails is the hardware's choice; the
 * model reads the page cache to find the frame backing the index (a lookup standing for the
 * machine check's address).
 */
void machine_check_gmem_page(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio = __gmem_frame_at(mapping, index);

	if (!folio) {
		pr_info("index %d has no frame yet: nothing fails", index);
		return;
	}
	memory_failure(folio_pfn(folio) + (index & (folio_nr_pages(folio) - 1)), mapping);
}
