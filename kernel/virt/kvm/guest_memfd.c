/*
 * models parts of virt/kvm/guest_memfd.c (torvalds/linux 01f492e1): the invalidation of a range
 * of a guest_memfd file in the VM it is bound to, and, for a TD's PUNCH_HOLE, the three mmu_lock
 * sections of the TDX huge-page series as posted (v3, January 2026, list archive): the leaves
 * that cross the range's ends are split (kvm_split_cross_boundary_leafs()) before the zap. One VM
 * and one memslot over the whole file: the file's one binding is kvm's memslot, and indexes map
 * to gfns from slot->gmem.pgoff. The filter is PRIVATE: a VM whose file is INIT_SHARED has no
 * memslot in the model.
 */

static inline gfn_t kvm_gmem_gfn(struct kvm_memory_slot *slot, pgoff_t index)
{
	return slot->base_gfn + index - slot->gmem.pgoff;
}

/*
 * __kvm_gmem_invalidate_begin(): in one mmu_lock section, the invalidation begins, [start, end)
 * is added, the leaves there are zapped, and the flush is done before the unlock. user_start and
 * user_end: what userspace asked for (ghost, for the over-zap oracle).
 */
void __kvm_gmem_invalidate_begin(struct kvm *kvm, pgoff_t start, pgoff_t end, pgoff_t user_start, pgoff_t user_end)
{
	struct kvm_memory_slot *slot = kvm->memslot;
	bool flush;

	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_begin(kvm);
	kvm_mmu_invalidate_range_add(kvm, kvm_gmem_gfn(slot, start), kvm_gmem_gfn(slot, end));
	flush = kvm_mmu_unmap_gfn_range(kvm, kvm_gmem_gfn(slot, start), kvm_gmem_gfn(slot, end), KVM_FILTER_PRIVATE,
					kvm_gmem_gfn(slot, user_start), kvm_gmem_gfn(slot, user_end));
	if (flush)
		kvm_flush_remote_tlbs(kvm);
	write_unlock(&kvm->mmu_lock);
}

/*
 * The TDX huge-page series' kvm_gmem_invalidate_begin() of a PUNCH_HOLE on a TD (v3): the
 * invalidation begins and its range is added in a first mmu_lock section; the boundary leaves are
 * split in a second, which on failure ends the invalidation there and returns the error (nothing
 * was zapped); the zap and its flush in a third. Between the sections faults run their retry
 * check against the range recorded. (The name is the model's: the series changes
 * kvm_gmem_invalidate_begin() itself.)
 */
int kvm_gmem_invalidate_begin_tdx(struct kvm *kvm, pgoff_t start, pgoff_t end, pgoff_t user_start, pgoff_t user_end)
{
	struct kvm_memory_slot *slot = kvm->memslot;
	bool flush;
	int r;

	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_begin(kvm);
	kvm_mmu_invalidate_range_add(kvm, kvm_gmem_gfn(slot, start), kvm_gmem_gfn(slot, end));
	write_unlock(&kvm->mmu_lock);

	write_lock(&kvm->mmu_lock);
	r = kvm_split_cross_boundary_leafs(kvm, kvm_gmem_gfn(slot, start), kvm_gmem_gfn(slot, end));
	if (r) {
		kvm_mmu_invalidate_end(kvm);
		write_unlock(&kvm->mmu_lock);
		return r;
	}
	write_unlock(&kvm->mmu_lock);

	write_lock(&kvm->mmu_lock);
	flush = kvm_mmu_unmap_gfn_range(kvm, kvm_gmem_gfn(slot, start), kvm_gmem_gfn(slot, end), KVM_FILTER_PRIVATE,
					kvm_gmem_gfn(slot, user_start), kvm_gmem_gfn(slot, user_end));
	if (flush)
		kvm_flush_remote_tlbs(kvm);
	write_unlock(&kvm->mmu_lock);
	return 0;
}

/* __kvm_gmem_invalidate_end(): the sequence moves on and the invalidation ends, under mmu_lock */
void __kvm_gmem_invalidate_end(struct kvm *kvm)
{
	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_end(kvm);
	write_unlock(&kvm->mmu_lock);
}
