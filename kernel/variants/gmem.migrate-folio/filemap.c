/*
 * variant gmem.migrate-folio = filemap (race 11): a guest_memfd whose mapping is not made
 * inaccessible, so compaction isolates its folios, and whose a_ops->migrate_folio is the generic
 * filemap_migrate_folio(): folio_mc_copy() reads the source through the direct map.
 */
static inline bool mapping_inaccessible(struct address_space *mapping)
{
	return false;
}

int kvm_gmem_migrate_folio(struct address_space *mapping, struct folio *dst, struct folio *src, pgoff_t index, long nr)
{
	return filemap_migrate_folio(mapping, dst, src, index, nr);
}
