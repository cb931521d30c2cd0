/*
 * models no upstream function: the places where the guest_memfd direct-map designs
 * (gmem.direct-map-removal, kernel-model §7) put their code into mainline's functions, each a
 * function here that does what mainline does there. A design's variant file
 * (variants/gmem.direct-map-removal/) defines the ones its series changes, with the series' own
 * functions; the designs act only on a file created GUEST_MEMFD_FLAG_NO_DIRECT_MAP, which they test
 * as the series do.
 */

/* prepare's clear of a page (kvm_gmem_prepare_folio(), the user fault): clear_highpage() */
void dmap_clear_highpage(struct inode *inode, struct page *page)
{
	clear_highpage(page);
}

/* write()'s copy of a user page into a folio page through kmap_local_page() */
void dmap_copy_from_user(struct inode *inode, struct page *page, int data)
{
	void *kaddr = kmap_local_page(page);

	copy_from_user(kaddr, data, PAGE_SIZE);
	kunmap_local(kaddr);
}

/* a folio prepared or written, still locked (kvm_gmem_get_pfn(), the user fault, write_end): nothing */
int dmap_folio_prepared(struct inode *inode, struct folio *folio)
{
	return 0;
}

/* write_begin with the folio locked: nothing to refuse */
int dmap_write_begin(struct inode *inode, struct folio *folio)
{
	return 0;
}

/* filemap_add_folio() before the folio is visible: nothing */
int dmap_filemap_add(struct address_space *mapping, struct folio *folio, long nr)
{
	return 0;
}

/* filemap_remove_folio() once the folio left the cache, and an add that lost its race: nothing */
void dmap_filemap_remove(struct address_space *mapping, struct folio *folio, long nr)
{
}
