/*
 * models virt/kvm/guest_memfd.c kvm_gmem_folio_zap_direct_map(), kvm_gmem_free_folio() and the
 * write_begin check of the direct-map series v10-v12 (list archive, seeds 000 and 001), applied
 * to guest_memfd.c as torvalds/linux 0f94e51b has it.
 *
 * variant gmem.direct-map-removal = per-folio: the direct-map series v10-v12 (seeds 000, 001,
 * list archive): kvm_gmem_folio_zap_direct_map() under the folio lock once the folio is prepared
 * (kvm_gmem_get_pfn()), faulted into userspace or written (write_end); folio_zap_direct_map()
 * zaps the whole folio and flushes; the bit in folio->private is set only after the zap and the
 * flush succeeded. ->free_folio() restores the entry (WARN_ON_ONCE on failure) and clears the bit.
 * write() refuses a folio already out of the direct map (Nikita Kalyazin's combined write +
 * NO_DIRECT_MAP tree returns -EEXIST; the v7 write() posting has no direct-map check).
 */

static bool kvm_gmem_no_direct_map(struct inode *inode)
{
	return (inode->i_private & GUEST_MEMFD_FLAG_NO_DIRECT_MAP) != 0;
}

/* folio_restore_direct_map(): the entries valid again; setting them needs no flush */
int folio_restore_direct_map(struct folio *folio, long nr)
{
	return set_direct_map_valid_noflush(folio_page(folio, 0), nr, true);
}

/* kvm_gmem_folio_zap_direct_map(): idempotent; a large folio is refused (-EINVAL) */
static int kvm_gmem_folio_zap_direct_map(struct folio *folio)
{
	long nr;
	int r;

	if (kvm_gmem_folio_no_direct_map(folio))
		return 0;
	nr = folio_nr_pages(folio);
	if (nr > 1)
		return -EINVAL;
	r = folio_zap_direct_map(folio, nr);
	if (!r)
		kvm_gmem_folio_set_no_direct_map(folio);
	return r;
}

int dmap_folio_prepared(struct inode *inode, struct folio *folio)
{
	if (!kvm_gmem_no_direct_map(inode))
		return 0;
	return kvm_gmem_folio_zap_direct_map(folio);
}

int dmap_write_begin(struct inode *inode, struct folio *folio)
{
	if (kvm_gmem_no_direct_map(inode) && kvm_gmem_folio_no_direct_map(folio))
		return -EEXIST;
	return 0;
}

/* kvm_gmem_free_folio(): a zapped folio gets its entries back before it is freed */
void kvm_gmem_free_folio(struct folio *folio, long nr)
{
	if (!kvm_gmem_folio_no_direct_map(folio))
		return;
	WARN_ON_ONCE(folio_restore_direct_map(folio, nr));
	kvm_gmem_folio_clear_no_direct_map(folio);
}
