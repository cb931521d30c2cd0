/*
 * models parts of include/linux/highmem.h and include/linux/highmem-internal.h (a v6.x tree read
 * through the stored index, the kmap_local_page() era; the index did not name its commit): on
 * x86-64 there is no highmem, so kmap_local_page() is page_address(), an address in the direct
 * map, and every access through it goes through the CPU's TLB and the direct map's page tables.
 * kunmap_local() and flush_dcache_page() do nothing on x86.
 */

/* kmap_local_page() without CONFIG_HIGHMEM: page_address() */
static inline void *kmap_local_page(struct page *page)
{
	return page_address(page);
}

static inline void kunmap_local(void *addr)
{
}

static inline void clear_highpage(struct page *page)
{
	void *kaddr = kmap_local_page(page);

	clear_page(kaddr);
	kunmap_local(kaddr);
}

/* kasan_reset_tag() is the identity without KASAN's software tags */
static inline void clear_highpage_kasan_tagged(struct page *page)
{
	void *kaddr = kmap_local_page(page);

	clear_page(kaddr);
	kunmap_local(kaddr);
}

/* zero_user_segments() without CONFIG_HIGHMEM: memset() through the head page's address */
static inline void zero_user_segments(struct page *page, unsigned int start1, unsigned int end1,
				      unsigned int start2, unsigned int end2)
{
	void *kaddr = kmap_local_page(page);

	if (end1 > start1)
		memset(kaddr + start1, 0, end1 - start1);

	if (end2 > start2)
		memset(kaddr + start2, 0, end2 - start2);

	kunmap_local(kaddr);
}

/* folio_zero_segment(): zero the bytes [start, xend) of the folio */
static inline void folio_zero_segment(struct folio *folio, size_t start, size_t xend)
{
	zero_user_segments(folio, start, xend, 0, 0);
}

/* memcpy_to_page(): from (a buffer named by its data) into page at offset */
static inline void memcpy_to_page(struct page *page, size_t offset, int from, size_t len)
{
	void *to = kmap_local_page(page);

	memcpy(to + offset, from, len);
	kunmap_local(to);
}

/*
 * copy_mc_highpage(): the page copy of folio_mc_copy() (migration), tolerant of a machine check in
 * the source; -EFAULT if one hit (never in the model)
 */
static inline int copy_mc_highpage(struct page *to, struct page *from)
{
	unsigned long ret;
	void *vfrom, *vto;

	vfrom = kmap_local_page(from);
	vto = kmap_local_page(to);
	ret = copy_mc_to_kernel(vto, vfrom, PAGE_SIZE);
	kunmap_local(vto);
	kunmap_local(vfrom);

	return ret ? -EFAULT : 0;
}
