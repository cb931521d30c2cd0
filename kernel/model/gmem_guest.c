/*
 * models no upstream function: what a vCPU's guest does with its guest_memfd-backed memory, as
 * the workload that drives KVM's fault path (a load or store of a private gfn, a TD's
 * TDG.MEM.PAGE.ACCEPT), and, with no VM bound, the direct-map designs' workload: a guest touching
 * a page through kvm_gmem_get_pfn() alone. Only the kernel functions they call are upstream's.
 */

/*
 * KVM_RUN after an EPT violation on gfn: KVM's fault, then, before the guest runs again, the
 * task_work of the fault's last fput(). again: the same access faulted before (a spin). Returns 0
 * when the guest re-executes its access, or 1 when it leaves it undone: a memory-fault exit (the
 * attributes changed under the access; the model's VMM does not convert). Any other error stops
 * the VM; one the VMM cannot expect is reported as well. -ENOMEM is transient: the VMM runs the
 * vCPU again, the guest re-executes, up to three times.
 */
static int vcpu_ept_violation(struct kvm *kvm, gfn_t gfn, bool again, int *nomem)
{
	int r;

	if (again)
		cond_resched();
	r = kvm_tdp_page_fault(kvm, gfn, true);
	task_work_run();
	if (r >= 0)
		return 0;
	if (__kvm_run_memory_fault())
		return 1;
	if (r == -ENOMEM) {
		*nomem = *nomem + 1;
		if (*nomem < 3)
			return 0;
	}
	if (r != -EFAULT && r != -ENOMEM && r != -EHWPOISON)
		__abi_failure(r, "KVM_RUN (fault on gfn %x)", gfn);
	__vcpu_stop();
}

/*
 * One guest load or store of the private gfn: a translation the CPU caches is used at once,
 * otherwise the EPT walk; the access is one instruction. An EPT violation exits to KVM, and the
 * guest re-executes the instruction. A #VE on a TD's PENDING page (its accepted page was removed
 * behind its back) is fatal to a Linux guest. A load compares what it read with what the guest
 * program expects there (expect: a byte, 0 for zeros, -1 for nothing; site: the operation).
 */
void guest_access(struct kvm *kvm, struct file *file, gfn_t gfn, bool write, int data, int expect, int site)
{
	struct kvm_memory_slot *slot = kvm->memslot;
	bool again = false;
	int nomem = 0;
	long pfn;
	int got;

	while (1) {
		__insn_begin();
		pfn = __guest_tlb_lookup(gfn);
		if (pfn < 0) {
			pfn = __ept_walk(kvm, gfn, true);
			if (pfn == -2) {
				__insn_end();
				pr_info("#VE on accepted memory: the guest panics");
				__vcpu_stop();
			}
			if (pfn >= 0)
				__guest_tlb_fill(gfn, pfn);
		}
		if (pfn >= 0) {
			got = __guest_access(pfn, write, data, kvm->vm_id, gfn, file->f_mapping->id,
					     gfn - slot->base_gfn + slot->gmem.pgoff);
			__insn_end();
			if (!write)
				__expect_data(got, expect, site, pfn);
			return;
		}
		__insn_end();
		if (vcpu_ept_violation(kvm, gfn, again, &nomem))
			return;
		again = true;
	}
}

/*
 * The TD's accept_memory() of gfn: TDG.MEM.PAGE.ACCEPT at the size of the leaf that maps it; if
 * nothing maps it yet, the EPT violation makes KVM fault the page in (TDH.MEM.PAGE.AUG: PENDING),
 * and the guest accepts again.
 */
void guest_accept(struct kvm *kvm, gfn_t gfn)
{
	bool again = false;
	int nomem = 0;

	while (tdg_mem_page_accept(kvm, gfn)) {
		if (vcpu_ept_violation(kvm, gfn, again, &nomem))
			return;
		again = true;
	}
}

/*
 * kvm_gmem_get_pfn() of index with no VM bound (no memslot): a reference on the file for the
 * lookup, as kvm_gmem_get_file() takes one (-EFAULT once the file's last reference went), the
 * folio prepared and, under its lock, handed to whatever the direct-map design does to a
 * prepared folio; 0 with the pfn in *pfn and a reference on *foliop. The file reference goes at
 * the end; if it was the last, the release runs as the task's task_work.
 */
static int gmem_get_pfn_unbound(struct file *file, pgoff_t index, kvm_pfn_t *pfn, struct folio **foliop)
{
	bool is_prepared = false;
	struct folio *folio;
	int r = 0;

	if (!get_file_active(file))
		return -EFAULT;

	folio = __kvm_gmem_get_pfn(file, NULL, index, pfn, &is_prepared, NULL);
	if (IS_ERR(folio)) {
		r = PTR_ERR(folio);
		goto out;
	}
	if (!is_prepared)
		r = kvm_gmem_prepare_folio(file_inode(file), index, folio);
	if (!r)
		r = dmap_folio_prepared(file_inode(file), folio);
	folio_unlock(folio);
	if (r)
		folio_put(folio);
	else
		*foliop = folio;
out:
	fput(file);
	return r;
}

/*
 * The guest touches the page of index and writes its private data there, under the reference
 * kvm_gmem_get_pfn() returned (KVM's mapping of the pfn is not modelled here), after the
 * task_work of the fault's last fput(); -ENOMEM makes the VMM run the vCPU again, up to three
 * times, and -EFAULT (the file was released) leaves the page untouched.
 */
void guest_gmem_touch(struct file *file, pgoff_t index, int data)
{
	struct folio *folio;
	kvm_pfn_t pfn;
	int r, attempt;

	for (attempt = 0; attempt < 3; attempt++) {
		r = gmem_get_pfn_unbound(file, index, &pfn, &folio);
		task_work_run();
		if (r != -ENOMEM)
			break;
	}
	if (r) {
		if (r != -ENOMEM && r != -EHWPOISON && r != -EFAULT)
			__abi_failure(r, "KVM_RUN (fault on index %d)", index);
		return;
	}
	__guest_mapped(index, pfn);
	__guest_write(pfn, data);
	folio_put(folio);
}
