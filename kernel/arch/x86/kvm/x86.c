/*
 * models parts of arch/x86/kvm/x86.c and arch/x86/include/asm/kvm_host.h (gregkh/linux): which
 * guest_memfd flags an x86 VM may ask for. kvm->arch.has_private_mem is set for every VM type
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
