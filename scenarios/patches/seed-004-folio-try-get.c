/*
 * Seed 004 as a patch: Yan Zhao's RFC "KVM: Allow to pin compound pages with kvm_try_get_pfn()"
 * (February 2024) made KVM take its reference with folio_try_get(page_folio(page)) instead of
 * get_page_unless_zero(), so that tail pages can be pinned, and took no second look at
 * page_folio() after the get. Applied here where that protocol runs on ordinary guest RAM, in
 * GUP-fast (mm/gup.c try_get_folio(), whose mainline re-check is what the RFC left out).
 */
static struct folio *try_get_folio(struct page *page, int refs)
{
	struct folio *folio = page_folio(page);

	if (!folio_try_get(folio))
		return NULL;
	return folio;
}
