/*
 * models no upstream function: the workloads of the direct-map scenarios, seed 001's hand-off of
 * a guest page (races 5, 6 and 7) and the kernel activity of the CPUs around it. Upstream the
 * zapper is kvm_gmem_get_pfn() in the vCPU's own fault, which returns the page to KVM, which maps
 * it for the guest; here the zapper and the guest are two actors and the return value goes through
 * a hand-off object (__handoff_publish(), __handoff_wait()). Only the kernel functions they call
 * are upstream's. The design knobs direct-map.flush, direct-map.zap-error and
 * direct-map.restore-on-free replace gmem_zap_and_publish(), gmem_zap_page() and
 * guest_page_free_folio() (kernel/variants/); the functions here are the correct designs.
 */

/*
 * The zapper takes the page out of the direct map for the fault; an error (-ENOMEM when the
 * split of a large leaf cannot get a page table) fails the fault.
 */
int gmem_zap_page(struct page *page)
{
	return set_direct_map_invalid_noflush(page);
}

/* The fault's return to the guest: the page, or the zap's error */
void publish_page(struct page_handoff *handoff, struct page *page, int err)
{
	__handoff_publish(handoff, err ? err : page);
}

/*
 * zap-and-publish: take the page out of the direct map, flush every CPU's TLB of it, and only
 * then hand it to the guest: "not in the direct map" is true once the flush has returned. The
 * flush runs even after a failed zap (a cheap no-op then).
 */
void gmem_zap_and_publish(struct page *page, struct page_handoff *handoff)
{
	unsigned long addr = page_address(page);
	int err = gmem_zap_page(page);

	flush_tlb_kernel_range(addr, addr + PAGE_SIZE);
	publish_page(handoff, page, err);
}

/*
 * publish (on its own): hand the page to the guest unless the zap this task made before failed;
 * ignore_error hands it over anyway (race 7 written out)
 */
void publish_zapped_page(struct page_handoff *handoff, struct page *page, int zap_err, bool ignore_error)
{
	publish_page(handoff, page, ignore_error ? 0 : zap_err);
}

/*
 * The guest's use of the page: wait for the fault to return it, store private data into it
 * through the EPT, and scrub it before the VM gives it back, so the later restore of its
 * direct-map entry exposes nothing. A fault that returned an error leaves the guest nothing to do.
 */
long use_private_page(struct page_handoff *handoff, int data)
{
	long page = __handoff_wait(handoff);

	if (page < 0)
		return page;
	__guest_write(page, data);
	__guest_write(page, 0);
	return page;
}

/*
 * The guest page's ->free_folio() in the direct-map series: its direct-map entry restored before
 * the page goes back to the allocator. Setting an entry valid needs no flush: x86 caches no
 * non-present translation.
 */
void guest_page_free_folio(struct page *page)
{
	set_direct_map_default_noflush(page);
}

/* use-and-free-page: the guest's use, then the free of the page with its ->free_folio() */
void use_and_free_page(struct page_handoff *handoff, struct page *page, int data)
{
	use_private_page(handoff, data);
	guest_page_free_folio(page);
	__free_pages(page, 0);
}

/* free-page: the guest's reference dropped, the page back to the allocator (no ->free_folio()) */
void free_guest_page(struct page *page)
{
	__free_pages(page, 0);
}

/*
 * A speculative gadget or a wild kernel pointer on this CPU: one load from the direct-map address
 * of a random page i of nr: the guest's pages [guest, guest + nr_guest) first, then frame base + i.
 */
void speculative_read(unsigned long guest, unsigned long nr_guest, unsigned long base, unsigned long nr)
{
	unsigned long i = get_random_u32_below(nr);
	struct page *page = i < nr_guest ? guest + i : base + i;

	__insn_speculative_load(page_address(page));
}

/*
 * A legitimate kernel user on this CPU: alloc_pages(GFP_KERNEL | __GFP_ZERO), which zeroes the
 * page through its direct-map address, then __free_pages(). An oops in the zeroing ends the task,
 * and the page it allocated is never freed.
 */
void alloc_zeroed_page_and_free(void)
{
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO;
	struct page *page = alloc_pages(gfp, 0);

	if (!page)
		return;
	post_alloc_hook(page, 0, gfp);
	__free_pages(page, 0);
}
