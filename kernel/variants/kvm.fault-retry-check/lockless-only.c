/*
 * variant kvm.fault-retry-check = lockless-only: the fault runs only the lockless
 * mmu_invalidate_retry_gfn_unsafe() checks before mmu_lock, never the locked one, so an
 * invalidation that begins between the last check and read_lock() goes unnoticed.
 */
static bool is_page_fault_stale(struct kvm *kvm, gfn_t gfn, unsigned long mmu_seq)
{
	return false;
}
