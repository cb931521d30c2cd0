/*
 * models parts of arch/x86/kvm/x86.c and arch/x86/include/asm/kvm_host.h (gregkh/linux): which
 * guest_memfd flags an x86 VM may ask for, the VM types KVM_CAP_VM_TYPES reports, and the slots_lock section of kvm_arch_destroy_vm()
 * (its opening lines as 2025 patches to it show them in the list archive, stored index ids
 * 24156188837 and 1434238802). kvm->arch.has_private_mem is set for every VM type
 * but KVM_X86_DEFAULT_VM (SW_PROTECTED, SNP and TDX VMs); the model's struct kvm keeps the type.
 */

static inline bool kvm_arch_has_private_mem(struct kvm *kvm)
{
	return kvm->vm_type != KVM_X86_DEFAULT_VM;
}

/* kvm_arch_supports_gmem_init_shared(): memory shared at creation only where nothing is private */
bool kvm_arch_supports_gmem_init_shared(struct kvm *kvm)
{
	return !kvm_arch_has_private_mem(kvm);
}

/*
 * kvm_arch_gmem_supports_no_direct_map() of the direct-map series v12: can_set_direct_map() (true
 * on the model's x86 host) and not a VM whose private memory the TDX module or the SEV firmware
 * must reach through the direct map (the model has no SNP VM type).
 */
bool kvm_arch_gmem_supports_no_direct_map(struct kvm *kvm)
{
	return kvm->vm_type != KVM_X86_TDX_VM;
}

/*
 * kvm_arch_destroy_vm(): when the task dropping the last reference is one of the VMM's
 * (current->mm == kvm->mm, as every task of the model is, vCPU threads included), the memory
 * regions x86 made on behalf of userspace are freed under slots_lock. Their
 * __x86_set_memory_region() calls are not modelled (none of those private memslots exists in the
 * model's VMs); the lock is. The rest of the teardown (vCPUs, the MMU) goes with the struct.
 */
void kvm_arch_destroy_vm(struct kvm *kvm)
{
	mutex_lock(&kvm->slots_lock);
	mutex_unlock(&kvm->slots_lock);
}

/*
 * kvm_vm_ioctl_check_extension() of the capabilities the model answers: KVM_CAP_VM_TYPES is
 * kvm_caps.supported_vm_types, the default VM, SW_PROTECTED (CONFIG_KVM_SW_PROTECTED_VM) and TDX
 * (a host with TDX enabled; the model has no SEV types). Any other is 0.
 */
int kvm_vm_ioctl_check_extension(struct kvm *kvm, long ext)
{
	if (ext == KVM_CAP_VM_TYPES)
		return BIT(KVM_X86_DEFAULT_VM) | BIT(KVM_X86_SW_PROTECTED_VM) | BIT(KVM_X86_TDX_VM);
	return 0;
}
