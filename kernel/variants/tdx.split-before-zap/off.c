/*
 * variant tdx.split-before-zap = off: without the TDX huge-page series' split before the zap, a
 * TD's conversion of part of a 2M private leaf zaps the whole leaf (kernel-model §8 race 8, the
 * over-zap oracle): kvm_arch_pre_set_memory_attributes() as mainline has it.
 */
int kvm_arch_pre_set_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end, bool to_private)
{
	kvm_arch_pre_set_memory_attributes_hugepages(kvm, start, end);
	return kvm_mmu_unmap_gfn_range(kvm, start, end, to_private ? KVM_FILTER_SHARED : KVM_FILTER_PRIVATE, start, end);
}
