/*
 * models mmu_notifier_invalidate_range_start() / _end() (mm/mmu_notifier.c, include/linux/
 * mmu_notifier.h): each subscriber's callback. The model's one subscriber of the VMM's mm is the
 * VM that maps its guest RAM (mm->mmu_notifier_kvm); an mm with none has no callbacks.
 */
void mmu_notifier_invalidate_range_start(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct kvm *kvm = mm->mmu_notifier_kvm;

	if (kvm)
		kvm_mmu_notifier_invalidate_range_start(kvm, start, end);
}

void mmu_notifier_invalidate_range_end(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct kvm *kvm = mm->mmu_notifier_kvm;

	if (kvm)
		kvm_mmu_notifier_invalidate_range_end(kvm, start, end);
}
