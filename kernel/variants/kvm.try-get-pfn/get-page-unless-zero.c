/*
 * variant kvm.try-get-pfn = get-page-unless-zero: kvm_try_get_pfn() before the 2024 RFC
 * (virt/kvm/kvm_main.c, kvm-x86/linux v6.8): get_page_unless_zero(pfn_to_page(pfn)), a reference on
 * the page's own count. A tail page of a compound page has a count of 0, so the get always fails
 * there, and hva_to_pfn_remapped() gives up with -EFAULT: the limitation the RFC was written to
 * lift. Applied, as the RFC's get is, where GUP-fast takes its reference.
 */
static struct folio *try_grab_folio_fast(struct page *page, int refs, unsigned int flags)
{
	if (!get_page_unless_zero(page))
		return ERR_PTR(-EFAULT);
	return page;
}

/* gup_fast_pte_range(): as mainline, but a failed get is final (an error, not a fallback) */
static int gup_fast_pte_range(struct mm_struct *mm, unsigned long index, unsigned int flags, struct page **pages)
{
	struct folio *folio;
	struct page *page;
	long pte;

	pte = ptep_get_lockless(mm, index);
	if (!pte_present(pte))
		return 0;
	page = pte_page(pte);

	folio = try_grab_folio_fast(page, 1, flags);
	if (IS_ERR(folio))
		return PTR_ERR(folio);

	if (unlikely(pte != ptep_get(mm, index))) {
		gup_put_folio(folio, 1, flags);
		return 0;
	}
	*pages = page;
	return 1;
}

/* hva_to_pfn_fast(): the failed get of a tail page ends the lookup with -EFAULT */
static bool hva_to_pfn_fast(struct mm_struct *mm, unsigned long hva, kvm_pfn_t *pfn, struct page **page)
{
	unsigned long flags = 0;
	int nr;

	local_irq_save(flags);
	nr = gup_fast_pte_range(mm, hva, FOLL_WRITE | FOLL_GET, page);
	local_irq_restore(flags);
	if (nr == 1) {
		*pfn = page_to_pfn(*page);
		return true;
	}
	if (nr < 0) {
		*pfn = KVM_PFN_ERR_FAULT;
		return true;
	}
	return false;
}
