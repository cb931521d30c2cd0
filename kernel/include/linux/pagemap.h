/*
 * models parts of include/linux/pagemap.h (torvalds/linux b6273b55, about v6.10; the order helpers
 * as in later trees): the __filemap_get_folio() flags and the wrappers guest_memfd calls, and the
 * folio's place in its file. A folio's size is read from the folio (folio_order(), one step).
 */

#define FGP_ACCESSED		0x1
#define FGP_LOCK		0x2
#define FGP_CREAT		0x4
#define FGP_WRITE		0x8
#define FGP_NOFS		0x10
#define FGP_NOWAIT		0x20
#define FGP_FOR_MMAP		0x40
#define FGP_STABLE		0x80
#define FGF_GET_ORDER_SHIFT	26

/* fgf_set_order() with the order itself (upstream derives it from a size) */
static inline fgf_t fgf_set_order(int order)
{
	return order << FGF_GET_ORDER_SHIFT;
}

static inline int FGF_GET_ORDER(fgf_t fgp_flags)
{
	return fgp_flags >> FGF_GET_ORDER_SHIFT;
}

/* mapping_max_folio_order(): fixed when the mapping is set up (AS_FOLIO_ORDER_MAX of ->flags) */
static inline int mapping_max_folio_order(struct address_space *mapping)
{
	return mapping->max_folio_order;
}

/* mapping_gfp_mask(): guest_memfd sets GFP_HIGHUSER */
static inline gfp_t mapping_gfp_mask(struct address_space *mapping)
{
	return GFP_HIGHUSER;
}

static inline long folio_nr_pages(struct folio *folio)
{
	return 1 << folio_order(folio);
}

/* filemap_lock_folio(): the folio at index, locked, or ERR_PTR(-ENOENT) */
static inline struct folio *filemap_lock_folio(struct address_space *mapping, pgoff_t index)
{
	return __filemap_get_folio(mapping, index, FGP_LOCK, 0);
}

/* filemap_grab_folio(): the folio at index, locked, created if missing */
static inline struct folio *filemap_grab_folio(struct address_space *mapping, pgoff_t index)
{
	return __filemap_get_folio(mapping, index, FGP_LOCK | FGP_ACCESSED | FGP_CREAT, mapping_gfp_mask(mapping));
}

/* filemap_alloc_folio(): no NUMA policy in the model */
static inline struct folio *filemap_alloc_folio(gfp_t gfp, int order)
{
	return (struct folio *)alloc_pages(gfp, order);
}

/* __folio_set_locked(): the lock bit of a folio nobody else can reach yet (the model's lock is a step that never waits) */
static inline void __folio_set_locked(struct folio *folio)
{
	folio_lock(folio);
}

static inline void __folio_clear_locked(struct folio *folio)
{
	folio_unlock(folio);
}

/*
 * mapping_inaccessible(): guest_memfd's mapping is set inaccessible when the file is created
 * (mapping_set_inaccessible()), the model's only page-cache mapping
 */
static inline bool mapping_inaccessible(struct address_space *mapping)
{
	return true;
}
