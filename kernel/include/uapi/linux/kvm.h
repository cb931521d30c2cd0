/*
 * models include/uapi/linux/kvm.h (gregkh/linux): the creation flags of KVM_CREATE_GUEST_MEMFD.
 * NO_DIRECT_MAP is the direct-map series' (v12) and WRITE the write() series' (v7). Both series
 * number their new flag bit 2; the model follows the tree that combines them (Kalyazin's, as
 * Firecracker's test data has it): NO_DIRECT_MAP bit 2, WRITE bit 3.
 */

#define GUEST_MEMFD_FLAG_MMAP		(1 << 0)
#define GUEST_MEMFD_FLAG_INIT_SHARED	(1 << 1)
#define GUEST_MEMFD_FLAG_NO_DIRECT_MAP	(1 << 2)
#define GUEST_MEMFD_FLAG_WRITE		(1 << 3)

/* the capabilities a VMM asks KVM_CHECK_EXTENSION about (include/uapi/linux/kvm.h) */
#define KVM_CAP_GUEST_MEMFD		234
#define KVM_CAP_VM_TYPES		235
#define KVM_CAP_GUEST_MEMFD_FLAGS	244
