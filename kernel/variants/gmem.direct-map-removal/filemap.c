/*
 * variant gmem.direct-map-removal = filemap: the design agreed in seed 001 (list archive): an
 * AS_NO_DIRECT_MAP mapping's folios leave the direct map in filemap_add_folio(), before they are
 * visible (an error fails the allocation), and come back in filemap_remove_folio() and when an add
 * loses its race (WARN on failure); guest_memfd's own writes into its folios go through a
 * temporary local mapping (mermap), never the direct map.
 *
 * models mm/filemap.c filemap_add_folio() and filemap_remove_folio() (torvalds/linux) with the
 * direct-map hooks of the filemap design added (dmap_filemap_add(), dmap_filemap_remove()), and
 * virt/kvm/guest_memfd.c's clearing and write() copy through a local mapping. No posted patch of
 * this design was found in the archive, so the hooks' code is ours, after the thread's agreement.
 */

static bool mapping_no_direct_map(struct address_space *mapping)
{
	return (mapping->host->i_private & GUEST_MEMFD_FLAG_NO_DIRECT_MAP) != 0;
}

/* folio_restore_direct_map(): void, it WARNs when the entries cannot be made valid again */
void folio_restore_direct_map(struct folio *folio, long nr)
{
	WARN_ON_ONCE(set_direct_map_valid_noflush(folio_page(folio, 0), nr, true));
}

int dmap_filemap_add(struct address_space *mapping, struct folio *folio, long nr)
{
	if (!mapping_no_direct_map(mapping))
		return 0;
	return folio_zap_direct_map(folio, nr);
}

void dmap_filemap_remove(struct address_space *mapping, struct folio *folio, long nr)
{
	if (mapping_no_direct_map(mapping))
		folio_restore_direct_map(folio, nr);
}

/* a file's own writes into its folios go through a temporary mapping, which no other CPU can translate */
void dmap_clear_highpage(struct inode *inode, struct page *page)
{
	if (!mapping_no_direct_map(inode->i_mapping)) {
		clear_highpage(page);
		return;
	}
	__mermap_write(page, 0);
}

void dmap_copy_from_user(struct inode *inode, struct page *page, int data)
{
	void *kaddr;

	if (mapping_no_direct_map(inode->i_mapping)) {
		__mermap_write(page, data);
		return;
	}
	kaddr = kmap_local_page(page);
	copy_from_user(kaddr, data, PAGE_SIZE);
	kunmap_local(kaddr);
}
