/*
 * models memory_failure() of mm/memory-failure.c for a clean page-cache folio (a v6.x tree read
 * through the stored index; condensed): the frame poisoned, a reference on its folio
 * (get_hwpoison_page()), the folio lock, then me_pagecache_clean() -> truncate_error_folio() ->
 * the mapping's ->error_remove_folio (guest_memfd's kvm_gmem_error_folio()), unlock, put. The
 * mapping is the guest_memfd's (the model's only page cache). Not modelled: the hwpoison mutex,
 * the page-type dispatch (identify_page_state()), the user mappings' kill.
 */

#define MF_FAILED		1

/* truncate_error_folio(): the mapping's ->error_remove_folio */
static int truncate_error_folio(struct folio *folio, unsigned long pfn, struct address_space *mapping)
{
	return kvm_gmem_error_folio(mapping, folio);
}

/* me_pagecache_clean(): a folio torn down in the meantime has no mapping to tell */
static int me_pagecache_clean(struct folio *folio, unsigned long pfn, struct address_space *mapping)
{
	if (!folio_mapping(folio))
		return MF_FAILED;
	return truncate_error_folio(folio, pfn, mapping);
}

int memory_failure(unsigned long pfn, struct address_space *mapping)
{
	struct page *p = pfn_to_page(pfn);
	struct folio *folio;
	int res;

	if (TestSetPageHWPoison(p))
		return -EHWPOISON;

	/* get_hwpoison_page(): a free page has no user to tell */
	folio = page_folio(p);
	if (!folio_try_get(folio))
		return 0;

	folio_lock(folio);
	res = me_pagecache_clean(folio, pfn, mapping);
	folio_unlock(folio);
	folio_put(folio);
	return res == MF_FAILED ? -EBUSY : 0;
}
