/*
 * variant kvm.try-get-pfn = folio-try-get: Yan Zhao's RFC (February 2024, seed 004) changed
 * kvm_try_get_pfn() (virt/kvm/kvm_main.c) to folio_try_get(page_folio(page)), so that tail pages
 * of compound pages can be pinned, without the re-check mm/gup.c try_get_folio() makes after the
 * get. The model applies that get where it is reachable upstream, in GUP-fast's try_get_folio():
 * a reference taken on a folio that a split shrank in between pins a folio that no longer holds
 * the page (scenarios/split-vs-tryget.conf).
 */
static struct folio *try_get_folio(struct page *page, int refs)
{
	struct folio *folio = page_folio(page);

	if (!folio_try_get(folio))
		return NULL;
	return folio;
}
