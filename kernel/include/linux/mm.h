/*
 * models parts of include/linux/mm.h, include/linux/mm_types.h and the FOLL_* flags of
 * include/linux/mm_types.h / mm/internal.h (gregkh/linux 6e88fe54): what the modelled paths use.
 * In gmemsim a struct page and a struct folio are named by their frame number (a folio by its
 * head's), so page_to_pfn() and friends compute nothing.
 */

#define FOLL_WRITE		0x1
#define FOLL_GET		0x2
#define FOLL_NOWAIT		0x10
#define FOLL_INTERRUPTIBLE	0x800
#define FOLL_PIN		0x2000

/* my_zero_pfn() and is_zero_pfn(): the shared zero page (its frame is the mm's in the model, see mm_struct->zero_pfn) */
static inline unsigned long my_zero_pfn(struct mm_struct *mm)
{
	return mm->zero_pfn;
}

static inline bool is_zero_pfn(struct mm_struct *mm, unsigned long pfn)
{
	return pfn == mm->zero_pfn;
}

/* put_page(): the reference is on the folio that holds the page now */
static inline void put_page(struct page *page)
{
	struct folio *folio = page_folio(page);

	folio_put(folio);
}

/* __free_pages() of a page alloc_pages() returned: it is its own folio, and the put frees it */
static inline void __free_pages(struct page *page, int order)
{
	folio_put(page);
}
