/*
 * models parts of arch/x86/mm/tlb.c (gregkh/linux 399ec9ca): flush_tlb_all() and
 * flush_tlb_kernel_range(). on_each_cpu(fn, info, 1) is one primitive per function, routed to
 * every CPU (the caller's own included) and returning once each has run it: do_flush_tlb_all()
 * (__flush_tlb_all(), global entries too) and do_kernel_range_flush() (flush_tlb_one_kernel(),
 * INVLPG, for each page of the range). A CPU takes the IPI between two instructions (Cpu).
 * get_flush_tlb_info() and the per-CPU flush_tlb_info are not modelled: the range is the
 * primitive's arguments.
 */

#define TLB_FLUSH_ALL			(-1L)
#define tlb_single_page_flush_ceiling	33

/* flush_tlb_all(): on_each_cpu(do_flush_tlb_all, NULL, 1) */
void flush_tlb_all(void)
{
	do_flush_tlb_all(0, 0);
}

/*
 * flush_tlb_kernel_range(): one INVLPG per page on every CPU, or a full flush everywhere above
 * tlb_single_page_flush_ceiling pages ("balance as user space task's flush, a bit conservative")
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	if (end == TLB_FLUSH_ALL || (end - start) > tlb_single_page_flush_ceiling << PAGE_SHIFT) {
		do_flush_tlb_all(0, 0);
	} else {
		preempt_disable();
		do_kernel_range_flush(start, end);
		preempt_enable();
	}
}
