/*
 * models no kernel code: the x86-64 CPU itself, executing one instruction that loads or stores
 * through a kernel virtual address of the direct map (after the SDM's description of paging and
 * the TLB, not a tree). The instruction is __insn_begin() .. __insn_end(): a TLB lookup; on a miss
 * the page walk and, if the leaf is present, the TLB fill with one entry the size of that leaf
 * (x86 caches no non-present translation); then the data access. An IPI that arrives meanwhile is taken once the instruction
 * retires, so a load that got its translation before a flush also completes before the flush is
 * acked. A walk that finds no present leaf raises #PF for a real access (the kernel's
 * exc_page_fault(), arch/x86/mm/fault.c) and gives nothing to a speculative one.
 *
 * The kernel function whose instruction it is, the RIP an oops reports, is the caller of these
 * functions (clear_page(), memset(), ...).
 */

/* The translation of addr for an access: the frame, from the TLB or a walk that fills it; -1: none. */
static long __insn_translate(unsigned long addr, bool *hit)
{
	unsigned int level;
	long pfn;

	pfn = __tlb_lookup(addr);
	*hit = pfn >= 0;
	if (*hit)
		return pfn;
	pfn = __page_walk(addr, &level);
	if (pfn < 0)
		return -1;
	__tlb_fill(addr, pfn, level);
	return pfn;
}

/*
 * The translation for a real access: no present leaf ends the instruction in #PF, and the kernel's
 * handler oopses (exc_page_fault() does not return here: the task is dead).
 */
static long __insn_translate_or_fault(unsigned long addr, bool *hit)
{
	long pfn = __insn_translate(addr, hit);

	if (pfn < 0) {
		__insn_end();
		exc_page_fault(addr);
	}
	return pfn;
}

/* A load through addr: the content the access sees (its ghost tag) */
int __insn_load(unsigned long addr)
{
	bool hit = false;
	long pfn;
	int data;

	__insn_begin();
	pfn = __insn_translate_or_fault(addr, &hit);
	data = __direct_map_load(pfn, false, hit);
	__insn_end();
	return data;
}

/* A store of data (its ghost tag) through addr */
void __insn_store(unsigned long addr, int data)
{
	bool hit = false;
	long pfn;

	__insn_begin();
	pfn = __insn_translate_or_fault(addr, &hit);
	__direct_map_store(pfn, hit, data);
	__insn_end();
}

/*
 * A load the CPU issues speculatively (a gadget, a wild kernel pointer): it never faults, and a
 * walk that finds no present leaf gives nothing and caches nothing.
 */
void __insn_speculative_load(unsigned long addr)
{
	bool hit = false;
	long pfn;

	__insn_begin();
	pfn = __insn_translate(addr, &hit);
	if (pfn >= 0)
		__direct_map_load(pfn, true, hit);
	__insn_end();
}
