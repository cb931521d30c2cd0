/*
 * models the __GFP_ZERO part of mm/page_alloc.c: post_alloc_hook() and kernel_init_pages() (read
 * through the stored index: kernel_init_pages() as in v5.17 and later; post_alloc_hook()'s init
 * decision condensed, init_on_alloc and init_on_free off, no KASAN). The allocation itself is the
 * primitive alloc_pages() (one step); its caller runs post_alloc_hook() after it, where upstream's
 * get_page_from_freelist() -> prep_new_page() runs it before alloc_pages() returns: nothing else
 * can reach the page in between, it is the caller's alone.
 */

/* kernel_init_pages(): zero each page through its direct-map address */
static void kernel_init_pages(struct page *page, int numpages)
{
	int i;

	for (i = 0; i < numpages; i++)
		clear_highpage_kasan_tagged(page + i);
}

/* post_alloc_hook(): want_init_on_alloc() is __GFP_ZERO when init_on_alloc is off */
void post_alloc_hook(struct page *page, unsigned int order, gfp_t gfp_flags)
{
	bool init = (gfp_flags & __GFP_ZERO) != 0;

	if (init)
		kernel_init_pages(page, 1 << order);
}
