/*
 * variant kvm.hugepage-adjust = pre-9129633d568e: kvm_arch_pre_set_memory_attributes() before
 * commit 9129633d568e (May 2025; torvalds/linux 56ea38e4, about v6.13): only [start, end) is
 * added to the invalidation range, not the partly covered 2M blocks at its ends, so a fault in
 * such a block may map a 2M leaf from the lpage_info of before the change
 * (scenarios/hugepage-adjust-vs-conversion.conf). The TDX series' split stays as built in.
 */
int kvm_arch_pre_set_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end, bool to_private)
{
	int r;

	if (kvm->vm_type == KVM_X86_TDX_VM && !to_private) {
		r = kvm_split_cross_boundary_leafs(kvm, start, end);
		if (r)
			return r;
	}
	return kvm_mmu_unmap_gfn_range(kvm, start, end, to_private ? KVM_FILTER_SHARED : KVM_FILTER_PRIVATE, start, end);
}
