/*
 * models parts of arch/x86/kvm/vmx/tdx.c (a v6.16-era tree through the stored index, index id
 * 145015693, with kvm_tdp_map_page() in tdx_gmem_post_populate(); gregkh/linux aec28aa8 holds
 * the file too): KVM_TDX_INIT_MEM_REGION, which populates the TD's initial image page by page
 * under slots_lock, each page faulted into the S-EPT and added by the TDX module with the source
 * page's contents; the source page is pinned by kvm_gmem_populate() since 2a62345b30529, and the
 * callback takes it as src_page. The measurement (TDH.MR.EXTEND) is not modelled.
 */

/*
 * tdx_gmem_post_populate(): kvm_tdp_map_page() of gfn (its fault's kvm_gmem_get_pfn() is the
 * nested lookup of race 14), then TDH.MEM.PAGE.ADD copies the source page into pfn. Since
 * 2a62345b30529 the caller hands in the source page, pinned before the invalidate lock; its content
 * is named by data.
 */
int tdx_gmem_post_populate(struct kvm *kvm, gfn_t gfn, kvm_pfn_t pfn, struct page *src_page, int data)
{
	int ret;

	ret = kvm_tdp_map_page(kvm, gfn);
	if (ret < 0)
		return ret;

	__tdh_mem_page_add_copy(pfn, data);
	return 0;
}

/*
 * tdx_vcpu_init_mem_region(): under slots_lock, kvm_gmem_populate() one page at a time, the
 * source address moving on a page with each. Returns 0, or the error that stopped it. (The
 * cond_resched() between pages is left out: in the model it marks the next step as a spin.)
 */
int tdx_vcpu_init_mem_region(struct kvm *kvm, gfn_t gfn, long nr_pages, struct mm_struct *mm, unsigned long src, int data)
{
	long gmem_ret;
	int ret = 0;

	mutex_lock(&kvm->slots_lock);
	while (nr_pages) {
		gmem_ret = kvm_gmem_populate(kvm, gfn, mm, src, 1, data);
		if (gmem_ret < 0) {
			ret = gmem_ret;
			break;
		}
		if (gmem_ret != 1) {
			ret = -EIO;
			break;
		}
		src++;
		gfn++;
		nr_pages--;
	}
	mutex_unlock(&kvm->slots_lock);
	return ret;
}
