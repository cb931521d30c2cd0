/*
 * variant direct-map.restore-on-free = skip (race 6): v7 of the direct-map series marked the
 * folio zapped with AND instead of OR, so ->free_folio() never saw the mark and never restored
 * the entry; the page goes back to the allocator still out of the direct map.
 *
 * models virt/kvm/guest_memfd.c kvm_gmem_free_folio() of the direct-map removal series v7 (list
 * archive, the seed thread's review of v7), reached through the hand-off workload's free.
 */
void guest_page_free_folio(struct page *page)
{
}
