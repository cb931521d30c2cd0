/*
 * models virt/kvm/guest_memfd.c kvm_gmem_invalidate_begin() for a TD as the TDX huge-page
 * series' RFC v2 (list archive, August 2025) changes it.
 * variant tdx.punch-hole-split = rfc-v2: the TDX huge-page series' RFC v2 (August 2025, list
 * archive) split before the zap of a TD's PUNCH_HOLE: the first mmu_lock section begins the
 * invalidation without adding its range, the split section flushes before its unlock, and a
 * failed split returns with the invalidation begun and no range recorded: kvm_gmem_punch_hole()
 * still ends it, and kvm_mmu_invalidate_end() WARNs (mmu_invalidate_range_start == INVALID_GPA).
 * That end is written here, after the failed split, so that the punch is the same for both
 * versions (the same steps in the same order).
 */
int kvm_gmem_invalidate_begin_tdx(struct kvm *kvm, pgoff_t start, pgoff_t end, pgoff_t user_start, pgoff_t user_end)
{
	struct kvm_memory_slot *slot = kvm->memslot;
	bool flush;
	int r;

	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_begin(kvm);
	write_unlock(&kvm->mmu_lock);

	write_lock(&kvm->mmu_lock);
	r = kvm_split_cross_boundary_leafs(kvm, kvm_gmem_gfn(slot, start), kvm_gmem_gfn(slot, end));
	if (r) {
		write_unlock(&kvm->mmu_lock);
		__kvm_gmem_invalidate_end(kvm);
		return r;
	}
	kvm_flush_remote_tlbs(kvm);
	write_unlock(&kvm->mmu_lock);

	write_lock(&kvm->mmu_lock);
	flush = kvm_mmu_unmap_gfn_range(kvm, kvm_gmem_gfn(slot, start), kvm_gmem_gfn(slot, end), KVM_FILTER_PRIVATE,
					kvm_gmem_gfn(slot, user_start), kvm_gmem_gfn(slot, user_end));
	if (flush)
		kvm_flush_remote_tlbs(kvm);
	write_unlock(&kvm->mmu_lock);
	return 0;
}
