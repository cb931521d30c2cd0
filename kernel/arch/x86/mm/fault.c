/*
 * models the end of a kernel-mode page fault in arch/x86/mm/fault.c (do_kern_addr_fault() and
 * kernelmode_fixup_or_oops() read as of gregkh/linux v6.18 through the stored index; the
 * extable handlers in arch/x86/mm/extable.c): exc_page_fault() -> handle_page_fault() ->
 * do_kern_addr_fault() -> bad_area_nosemaphore() -> kernelmode_fixup_or_oops() ->
 * page_fault_oops() -> oops_end() -> make_task_dead(SIGKILL), for a kernel access through a
 * direct-map address whose entry is not present. Spurious faults (spurious_kernel_fault()) cannot
 * happen: x86 caches no non-present translation. The model takes no exception-table fixup for
 * any access (the Java paths before it did the same): upstream, the uaccess routines
 * (copy_from_user()) and copy_mc_to_kernel() carry fixups that may turn such a fault into an
 * error return; clear_page() and memset() have none.
 */

#define SIGKILL	9

/* page_fault_oops(): the oops; the task dies holding whatever it held */
static void page_fault_oops(unsigned long address)
{
	__direct_map_fault(address);
	make_task_dead(SIGKILL);
}

/* exc_page_fault() of a kernel address with no fixup: spurious faults are not modelled */
void exc_page_fault(unsigned long address)
{
	page_fault_oops(address);
}
