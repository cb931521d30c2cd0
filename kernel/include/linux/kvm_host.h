/*
 * models parts of include/linux/kvm_host.h and include/linux/kvm_types.h (torvalds/linux
 * 01f492e1): the error pfns, the gfn range filters and the helpers the fault paths call.
 */

#define KVM_PFN_ERR_MASK		(0x7ffL << 52)
#define KVM_PFN_ERR_NOSLOT_MASK		(0xfffL << 52)
#define KVM_PFN_NOSLOT			(0x1L << 63)
#define KVM_PFN_ERR_FAULT		(KVM_PFN_ERR_MASK)
#define KVM_PFN_ERR_HWPOISON		(KVM_PFN_ERR_MASK + 1)
#define KVM_PFN_ERR_RO_FAULT		(KVM_PFN_ERR_MASK + 2)
#define KVM_PFN_ERR_SIGPENDING		(KVM_PFN_ERR_MASK + 3)
#define KVM_PFN_ERR_NEEDS_IO		(KVM_PFN_ERR_MASK + 4)

static inline bool is_error_pfn(kvm_pfn_t pfn)
{
	return (pfn & KVM_PFN_ERR_MASK) != 0;
}

static inline bool is_error_noslot_pfn(kvm_pfn_t pfn)
{
	return (pfn & KVM_PFN_ERR_NOSLOT_MASK) != 0;
}

#define KVM_MEMORY_ATTRIBUTE_PRIVATE	(1 << 3)

#define KVM_X86_DEFAULT_VM		0
#define KVM_X86_SW_PROTECTED_VM		1
#define KVM_X86_TDX_VM			5

/* PAGE_ALIGNED() */
static inline bool PAGE_ALIGNED(u64 addr)
{
	return IS_ALIGNED(addr, PAGE_SIZE);
}

/* kvm_supported_mem_attributes(): PRIVATE where the VM has private memory */
static inline u64 kvm_supported_mem_attributes(struct kvm *kvm)
{
	if (kvm->vm_type == KVM_X86_DEFAULT_VM)
		return 0;
	return KVM_MEMORY_ATTRIBUTE_PRIVATE;
}

/* the model's one memslot: gfn_to_memslot() finds it or nothing */
static inline struct kvm_memory_slot *gfn_to_memslot(struct kvm *kvm, gfn_t gfn)
{
	struct kvm_memory_slot *slot = kvm->memslot;

	if (gfn >= slot->base_gfn && gfn < slot->base_gfn + slot->npages)
		return slot;
	return NULL;
}

/* __gfn_to_hva_memslot(): in the model an hva is the index of a page of the VMA */
static inline unsigned long __gfn_to_hva_memslot(struct kvm_memory_slot *slot, gfn_t gfn)
{
	return slot->userspace_addr + (gfn - slot->base_gfn);
}

/*
 * kvm_release_faultin_page(): drop the reference a fault took on the page it looked up (under
 * mmu_lock, or unused); the release is a put_page() of the folio that holds the page now.
 */
static inline void kvm_release_faultin_page(struct kvm *kvm, struct page *page, bool unused, bool dirty)
{
	if (!page)
		return;
	put_page(page);
}

/*
 * kvm_range_has_memory_attributes() of one gfn with mask == attrs: whether its attributes are
 * exactly attrs (the model's only attribute is PRIVATE)
 */
static inline bool kvm_range_has_memory_attributes(struct kvm *kvm, gfn_t start, gfn_t end, unsigned long mask,
						   unsigned long attrs)
{
	return kvm_mem_is_private(kvm, start) == ((attrs & KVM_MEMORY_ATTRIBUTE_PRIVATE) != 0);
}

/*
 * kvm_gmem_get_supported_flags(): MMAP always, INIT_SHARED where the arch allows memory shared at
 * creation; the direct-map series v12 adds NO_DIRECT_MAP where the arch allows it, and the write()
 * series v7 WRITE exactly where INIT_SHARED is allowed.
 */
static inline u64 kvm_gmem_get_supported_flags(struct kvm *kvm)
{
	u64 flags = GUEST_MEMFD_FLAG_MMAP;

	if (!kvm || kvm_arch_supports_gmem_init_shared(kvm))
		flags |= GUEST_MEMFD_FLAG_INIT_SHARED | GUEST_MEMFD_FLAG_WRITE;

	if (!kvm || kvm_arch_gmem_supports_no_direct_map(kvm))
		flags |= GUEST_MEMFD_FLAG_NO_DIRECT_MAP;

	return flags;
}
