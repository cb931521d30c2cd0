/*
 * Reviewer question (seed 004): "could try_get_folio() look twice at page_folio() before it takes
 * the reference, and skip the put-and-retry after it?" The re-check moved ahead of the get: the
 * reference is taken only once two reads of page_folio() agree.
 *
 * Answer (split-vs-tryget, variant recheck-before-get): no. A split's clear_compound_head() can
 * land after the second read and before folio_ref_try_add(), so the get pins the old head and the
 * caller later puts the tail it was handed: refcount-error, as with the RFC's get. Only a look
 * taken after the get sees a split that the get did not stop.
 *   ./gmemsim run scenarios/split-vs-tryget.conf --variant recheck-before-get
 */
static struct folio *try_get_folio(struct page *page, int refs)
{
	struct folio *folio;

retry:
	folio = page_folio(page);
	if (unlikely(page_folio(page) != folio))
		goto retry;
	if (!folio_ref_try_add(folio, refs))
		return NULL;
	return folio;
}
