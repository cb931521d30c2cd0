/*
 * models mm/gup.c (gregkh/linux 0db0d69b, about v6.13): GUP-fast of one page of the VMM's
 * anonymous memory, as KVM's hva_to_pfn_fast() asks for it: get_user_page_fast_only() ->
 * gup_fast() -> gup_fast_pte_range() -> try_grab_folio_fast() -> try_get_folio(); and
 * get_user_pages_fast() of one page with its slow path (gregkh/linux 6e88fe54), as populate asks
 * for its source page: gup_fast_fallback() -> __gup_longterm_locked() ->
 * __get_user_pages_locked(), which takes mmap_lock for read, -> __get_user_pages() ->
 * follow_page_pte() and faultin_page() -> handle_mm_fault(). The walk down to the PTE is not
 * modelled: (mm, index) names the PTE of page index of the mm's anonymous memory. Only FOLL_GET:
 * both callers take a reference, they do not pin.
 */

/* try_get_folio(): a speculative reference on the folio that holds page */
static struct folio *try_get_folio(struct page *page, int refs)
{
	struct folio *folio;

retry:
	folio = page_folio(page);
	if (!folio_ref_try_add(folio, refs))
		return NULL;

	/*
	 * The folio may have been split, or freed and reused, between page_folio() and the get:
	 * the reference would then pin a folio that no longer holds page. Look again.
	 */
	if (unlikely(page_folio(page) != folio)) {
		folio_put_refs(folio, refs);
		goto retry;
	}
	return folio;
}

/* try_grab_folio_fast(): FOLL_GET is a plain speculative get */
static struct folio *try_grab_folio_fast(struct page *page, int refs, unsigned int flags)
{
	if (WARN_ON_ONCE((flags & (FOLL_GET | FOLL_PIN)) == 0))
		return NULL;
	return try_get_folio(page, refs);
}

/* gup_put_folio(): undo a get (FOLL_GET: a put of the references taken) */
static void gup_put_folio(struct folio *folio, int refs, unsigned int flags)
{
	folio_put_refs(folio, refs);
}

/*
 * gup_fast_pte_range() for the one PTE: 1 with the page in *pages and a reference on its folio,
 * or 0, and the caller falls back to the slow path.
 */
static int gup_fast_pte_range(struct mm_struct *mm, unsigned long index, unsigned int flags, struct page **pages)
{
	struct folio *folio;
	struct page *page;
	long pte;
	int ret = 0;

	pte = ptep_get_lockless(mm, index);
	if (!pte_present(pte))
		goto pte_unmap;
	/* pte_special(): of the model's PTEs only the zero page's; the slow path takes it */
	if (is_zero_pfn(mm, pte_pfn(pte)))
		goto pte_unmap;
	page = pte_page(pte);

	folio = try_grab_folio_fast(page, 1, flags);
	if (!folio)
		goto pte_unmap;

	/* the PTE changed since it was read (zapped, migrated, remapped): undo the get */
	if (unlikely(pte != ptep_get(mm, index))) {
		gup_put_folio(folio, 1, flags);
		goto pte_unmap;
	}

	*pages = page;
	ret = 1;
pte_unmap:
	return ret;
}

/*
 * get_user_page_fast_only(): gup_fast() of one page with IRQs off, which holds off the TLB
 * shootdowns that would free page tables under the lockless walk. Returns 1 with a reference.
 */
int get_user_page_fast_only(struct mm_struct *mm, unsigned long index, unsigned int gup_flags, struct page **pagep)
{
	unsigned long flags = 0;
	int nr;

	local_irq_save(flags);
	nr = gup_fast_pte_range(mm, index, gup_flags | FOLL_GET, pagep);
	local_irq_restore(flags);
	return nr == 1;
}

/*
 * try_grab_folio(): FOLL_GET under the page-table lock, where the PTE holds a reference, is a
 * plain folio_ref_add() (the zero page's count moves too; nobody balances it)
 */
static int try_grab_folio(struct folio *folio, int refs, unsigned int flags)
{
	if (WARN_ON_ONCE(folio_ref_count(folio) <= 0))
		return -ENOMEM;
	if (flags & FOLL_GET)
		folio_ref_add(folio, refs);
	return 0;
}

/*
 * follow_page_pte(): under the page-table lock, the page a present PTE maps, with a reference
 * (1); 0 with no PTE (the caller faults it in), or an error. The PTE read and the get are two
 * steps where upstream holds the lock across; the only path that clears the PTE, munmap(), holds
 * mmap_lock for write, which the caller's read hold excludes.
 */
static int follow_page_pte(struct mm_struct *mm, unsigned long index, unsigned int flags, struct page **pagep)
{
	struct page *page;
	long pte;
	int ret;

	pte = ptep_get(mm, index);
	if (!pte_present(pte))
		return 0;
	/* vm_normal_page() is NULL for the zero page, which is returned all the same */
	page = pte_page(pte);
	ret = try_grab_folio(page_folio(page), 1, flags);
	if (ret)
		return ret;
	*pagep = page;
	return 1;
}

/* faultin_page(): handle_mm_fault() of a read fault; VM_FAULT_ERROR becomes an errno */
static int faultin_page(struct mm_struct *mm, unsigned long index, unsigned int flags)
{
	vm_fault_t ret;

	ret = handle_mm_fault(mm, index, 0);
	if (ret)
		return -EFAULT;
	return 0;
}

/* __get_user_pages() of one page: look, and fault in what is missing, until the page is there */
static long __get_user_pages(struct mm_struct *mm, unsigned long index, unsigned int gup_flags, struct page **pages)
{
	int ret;

retry:
	ret = follow_page_pte(mm, index, gup_flags, pages);
	if (ret)
		return ret;
	ret = faultin_page(mm, index, gup_flags);
	if (ret)
		return ret;
	goto retry;
}

/* __get_user_pages_locked() as __gup_longterm_locked() calls it without FOLL_LONGTERM: under mmap_lock for read */
static long __get_user_pages_locked(struct mm_struct *mm, unsigned long index, unsigned int gup_flags, struct page **pages)
{
	long ret;

	mmap_read_lock(mm);
	ret = __get_user_pages(mm, index, gup_flags, pages);
	mmap_read_unlock(mm);
	return ret;
}

/*
 * gup_fast_fallback() of one page: gup_fast() with IRQs off, and the slow path under mmap_lock
 * when the lockless walk finds no page
 */
static long gup_fast_fallback(struct mm_struct *mm, unsigned long index, unsigned int gup_flags, struct page **pages)
{
	unsigned long flags = 0;
	int nr_pinned;

	local_irq_save(flags);
	nr_pinned = gup_fast_pte_range(mm, index, gup_flags, pages);
	local_irq_restore(flags);
	if (nr_pinned == 1)
		return nr_pinned;

	/* Slow path: try to get the remaining pages with get_user_pages */
	return __get_user_pages_locked(mm, index, gup_flags, pages);
}

/* get_user_pages_fast() of nr_pages = 1 page at index: 1 with a reference on the page, or an error */
int get_user_pages_fast(struct mm_struct *mm, unsigned long index, int nr_pages, unsigned int gup_flags, struct page **pages)
{
	return gup_fast_fallback(mm, index, gup_flags | FOLL_GET, pages);
}
