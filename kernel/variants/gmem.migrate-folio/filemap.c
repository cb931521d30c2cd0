/*
 * variant gmem.migrate-folio = filemap (race 11): a guest_memfd whose mapping is not made
 * inaccessible, so compaction isolates its folios, and whose a_ops->migrate_folio is the generic
 * filemap_migrate_folio(): folio_mc_copy() reads the source through the direct map.
 *
 * models virt/kvm/guest_memfd.c (torvalds/linux 0f94e51b) with mm/migrate.c filemap_migrate_folio()
 * as its a_ops->migrate_folio and include/linux/pagemap.h mapping_inaccessible() false: a design
 * no tree ships, the one race 11 asks about.
 */
static inline bool mapping_inaccessible(struct address_space *mapping)
{
	return false;
}

int kvm_gmem_migrate_folio(struct address_space *mapping, struct folio *dst, struct folio *src, pgoff_t index, long nr)
{
	return filemap_migrate_folio(mapping, dst, src, index, nr);
}
