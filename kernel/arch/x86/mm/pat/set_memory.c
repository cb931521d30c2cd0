/*
 * models parts of arch/x86/mm/pat/set_memory.c (gregkh/linux 53c2f13c; the cpa core also read at
 * torvalds/linux 02eac06b, which predates set_direct_map_valid_noflush()):
 * set_direct_map_invalid_noflush(), set_direct_map_default_noflush(),
 * set_direct_map_valid_noflush(), __set_pages_np(), __set_pages_p(), __change_page_attr_set_clr(),
 * __change_page_attr(), split_large_page() and __split_large_page().
 *
 * Only the present bit of the direct map is modelled: __set_pages_np() clears PRESENT (with RW
 * and DIRTY), __set_pages_p() sets PRESENT|RW, so the cpa_data's mask_set/mask_clr are one bool,
 * valid. Both set CPA_NO_CHECK_ALIAS (no cpa_process_alias()), and debug_pagealloc is off, so
 * cpa_lock is taken around each __change_page_attr(). Every address is in the direct map, so
 * __cpa_process_fault() is never reached. pgd_lock (arch/x86/mm/pgtable.c) is the direct map's
 * second lock; __split_large_page() is its only holder here (upstream also pgd_alloc(), pgd_free()
 * and the vmalloc sync, which the model does not run).
 */

#define PG_LEVEL_4K	1
#define PG_LEVEL_2M	2
#define PG_LEVEL_1G	3

/*
 * __split_large_page(): under pgd_lock, the re-check that no other CPU split the leaf first (then
 * 1, and the caller frees base), the new table filled from the leaf and installed
 * (__split_large_page_locked()), then flush_tlb_all() before pgd_lock is dropped. Upstream's
 * comment gives the order: the flush comes after the split and before the attribute change
 * (the SDM leaves a 4K and a large translation of one address that differ in attributes
 * undefined), and inside cpa_lock, so that no CPU changes attributes in the just-split range
 * while a TLB still holds the large translation.
 */
static int __split_large_page(unsigned long address, unsigned int level, struct page *base)
{
	spin_lock(&__direct_map()->pgd_lock);
	if (__split_large_page_locked(address, level, base)) {
		spin_unlock(&__direct_map()->pgd_lock);
		return 1;
	}
	flush_tlb_all();
	spin_unlock(&__direct_map()->pgd_lock);
	return 0;
}

/*
 * split_large_page(): cpa_lock is dropped while the page-table page is allocated (GFP_KERNEL may
 * sleep) and taken again before the split; -ENOMEM with cpa_lock held, and the caller unlocks.
 * Upstream allocates with alloc_pages(GFP_KERNEL, 0); the model's pagetable_alloc() is that
 * allocation with the page marked a page table (the leak check leaves it alone), failing at
 * faults.pgtable-alloc-fail.
 */
static int split_large_page(unsigned long address, unsigned int level)
{
	struct page *base;

	spin_unlock(&__direct_map()->cpa_lock);
	base = pagetable_alloc(GFP_KERNEL, 0);
	spin_lock(&__direct_map()->cpa_lock);
	if (!base)
		return -ENOMEM;

	if (__split_large_page(address, level, base))
		__free_page(base);

	return 0;
}

/*
 * __change_page_attr(): the leaf that maps address. __change_page_attr_leaf() is one step: the
 * lookup (_lookup_address_cpa()) and either the 4K branch (set_pte_atomic() when the present bit
 * changes, *numpages = 1) or should_split_large_page() (the large leaf kept, or changed in place
 * when the request covers it whole, *numpages = the pages done); 0 when the leaf must be split
 * first, and the lookup repeats after the split.
 */
static int __change_page_attr(unsigned long address, unsigned long *numpages, bool valid)
{
	unsigned int level;
	long done;
	int err;

repeat:
	done = __change_page_attr_leaf(address, *numpages, valid, &level);
	if (done > 0) {
		*numpages = done;
		return 0;
	}

	/* We have to split the large page: */
	err = split_large_page(address, level);
	if (!err)
		goto repeat;

	return err;
}

/*
 * __change_page_attr_set_clr(): leaf by leaf, each __change_page_attr() under cpa_lock. An error
 * returns at once: the pages already changed stay changed (no rollback), as upstream.
 */
static int __change_page_attr_set_clr(unsigned long vaddr, unsigned long numpages, bool valid)
{
	unsigned long rempages = numpages;
	unsigned long curpage = 0;
	unsigned long n;
	int ret = 0;

	while (rempages) {
		/* Store the remaining nr of pages for the large page preservation check. */
		n = rempages;

		spin_lock(&__direct_map()->cpa_lock);
		ret = __change_page_attr(vaddr + curpage * PAGE_SIZE, &n, valid);
		spin_unlock(&__direct_map()->cpa_lock);
		if (ret)
			goto out;

		rempages -= n;
		curpage += n;
	}

out:
	return ret;
}

/* __set_pages_p(): PRESENT|RW set over numpages pages from page */
static int __set_pages_p(struct page *page, int numpages)
{
	unsigned long tempaddr = page_address(page);

	return __change_page_attr_set_clr(tempaddr, numpages, true);
}

/* __set_pages_np(): PRESENT|RW|DIRTY cleared over numpages pages from page */
static int __set_pages_np(struct page *page, int numpages)
{
	unsigned long tempaddr = page_address(page);

	return __change_page_attr_set_clr(tempaddr, numpages, false);
}

int set_direct_map_invalid_noflush(struct page *page)
{
	return __set_pages_np(page, 1);
}

int set_direct_map_default_noflush(struct page *page)
{
	return __set_pages_p(page, 1);
}

int set_direct_map_valid_noflush(struct page *page, unsigned int nr, bool valid)
{
	if (valid)
		return __set_pages_p(page, nr);

	return __set_pages_np(page, nr);
}
