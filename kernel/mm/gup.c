/*
 * models mm/gup.c (gregkh/linux 0db0d69b, about v6.13): GUP-fast of one page of the VMM's guest
 * RAM, as KVM's hva_to_pfn_fast() asks for it: get_user_page_fast_only() -> gup_fast() ->
 * gup_fast_pte_range() -> try_grab_folio_fast() -> try_get_folio(). The walk down to the PTE is
 * not modelled: (mm, index) names the PTE of page index of the one VMA. Only FOLL_GET: KVM's
 * hva_to_pfn_fast() takes a reference, it does not pin.
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
