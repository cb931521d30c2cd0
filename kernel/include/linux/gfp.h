/*
 * models parts of include/linux/gfp_types.h and include/linux/gfp.h (gregkh/linux; flag value and
 * helper only): __GFP_ZERO, and __free_page().
 */

#define __GFP_ZERO	0x100

/* __free_page(): __free_pages(page, 0) */
static inline void __free_page(struct page *page)
{
	__free_pages(page, 0);
}
