/*
 * models arch/x86/kvm/mmu/mmu.c kvm_arch_pre_set_memory_attributes() and virt/kvm/guest_memfd.c
 * kvm_gmem_invalidate_begin() as mainline has them (torvalds/linux, before the TDX huge-page series).
 * variant tdx.split-before-zap = off: without the TDX huge-page series' split before the zap, a
 * TD's conversion of part of a 2M private leaf zaps the whole leaf (kernel-model §8 race 8, the
 * over-zap oracle), and a TD's PUNCH_HOLE of part of one too: kvm_arch_pre_set_memory_attributes()
 * and kvm_gmem_invalidate_begin() as mainline has them.
 */
int kvm_arch_pre_set_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end, bool to_private)
{
	kvm_arch_pre_set_memory_attributes_hugepages(kvm, start, end);
	return kvm_mmu_unmap_gfn_range(kvm, start, end, to_private ? KVM_FILTER_SHARED : KVM_FILTER_PRIVATE, start, end);
}

/* kvm_gmem_invalidate_begin() as mainline has it: a TD's PUNCH_HOLE zaps without splitting first */
static int kvm_gmem_invalidate_begin(struct inode *inode, pgoff_t start, pgoff_t end, pgoff_t user_start, pgoff_t user_end)
{
	struct kvm *kvm = __kvm_gmem_file_kvm(inode);

	if (kvm && start < end)
		__kvm_gmem_invalidate_begin(kvm, start, end, user_start, user_end);
	return 0;
}
