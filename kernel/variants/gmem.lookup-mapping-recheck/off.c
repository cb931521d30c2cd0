/*
 * variant gmem.lookup-mapping-recheck = off (race 13): a guest_memfd lookup that locks the folio
 * it found and uses it without looking at folio->mapping again, where __filemap_get_folio()'s
 * FGP_LOCK (filemap_lock_folio()) looks again when a truncation took the folio out while the
 * caller slept on its lock. A miss still allocates as mainline does.
 *
 * models virt/kvm/guest_memfd.c kvm_gmem_get_folio() (torvalds/linux 0f94e51b) with
 * mm/filemap.c __filemap_get_folio()'s FGP_LOCK re-check of folio->mapping dropped: a design no
 * posting proposes, kept to show what the re-check is for.
 */
static struct folio *kvm_gmem_get_folio(struct inode *inode, pgoff_t index)
{
	struct address_space *mapping = inode->i_mapping;
	struct folio *folio;

	folio = filemap_get_entry(mapping, index);
	if (folio) {
		folio_lock(folio);
		return folio;
	}
	return __filemap_get_folio(mapping, index, FGP_LOCK | FGP_ACCESSED | FGP_CREAT |
				   fgf_set_order(mapping_max_folio_order(mapping)), mapping_gfp_mask(mapping));
}
