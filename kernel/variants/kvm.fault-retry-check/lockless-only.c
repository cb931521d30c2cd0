/*
 * variant kvm.fault-retry-check = lockless-only: the fault runs only the lockless
 * mmu_invalidate_retry_gfn_unsafe() checks before mmu_lock, never the locked one, so an
 * invalidation that begins between the last check and read_lock() goes unnoticed.
 *
 * models arch/x86/kvm/mmu/mmu.c is_page_fault_stale() (torvalds/linux) with its
 * mmu_invalidate_retry_gfn() call dropped: a design no posting proposes, kept to show what the
 * locked re-check is for.
 */
static bool is_page_fault_stale(struct kvm *kvm, gfn_t gfn, unsigned long mmu_seq)
{
	return false;
}
