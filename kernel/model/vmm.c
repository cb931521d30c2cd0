/*
 * models no upstream function: what a scenario's VMM does around the system calls it makes, as
 * the workload that drives the kernel functions (userspace calling again after a transient
 * error).
 */

/* KVM_SET_MEMORY_ATTRIBUTES, called again on -ENOMEM, up to three times */
int vmm_set_memory_attributes(struct kvm *kvm, u64 address, u64 size, u64 attributes, u64 flags)
{
	int r, i;

	for (i = 0; i < 3; i++) {
		r = kvm_vm_ioctl_set_mem_attributes(kvm, address, size, attributes, flags);
		if (r != -ENOMEM)
			break;
	}
	return r;
}
