/*
 * variant tdx.attr-split-error = end-invalidation: the fix of the TDX series' error path in
 * kvm_vm_set_mem_attributes(): a failed pre-set pass still ends the invalidation it began
 * (kvm_mmu_invalidate_end() under mmu_lock), so faults of the range stop retrying.
 *
 * models virt/kvm/kvm_main.c kvm_vm_set_mem_attributes() of the TDX huge-page series (RFC v3,
 * January 2026, list archive) with its error path mended here; no posted version of the fix was
 * found, so the mend is ours.
 */
int kvm_vm_set_mem_attributes(struct kvm *kvm, gfn_t start, gfn_t end, unsigned long attributes)
{
	bool to_private = (attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE) != 0;
	int r;

	mutex_lock(&kvm->slots_lock);
	r = kvm_pre_set_memory_attributes_range(kvm, start, end, to_private);
	if (r) {
		__kvm_gmem_invalidate_end(kvm);
		goto out_unlock;
	}
	kvm_mem_attributes_store(kvm, start, end, to_private);
	kvm_post_set_memory_attributes_range(kvm, start, end);
out_unlock:
	mutex_unlock(&kvm->slots_lock);
	return r;
}
