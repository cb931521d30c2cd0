package gmemsim.model.kvm;

/**
 * kvm.hugepage-adjust: which kernel's kvm_arch_pre_set_memory_attributes() (arch/x86/kvm/mmu/mmu.c)
 * the model runs. Both read the mixed flag of lpage_info in the fault's hugepage decision, and both
 * update it in the post-set pass; they differ in what the pre-set pass adds to the invalidation
 * range.
 */
public enum HugepageAdjust {
  /**
   * Before commit 9129633d568e (May 2025): only the changed range [start, end) is added, so a fault
   * on a gfn outside it but inside the same 2M block passes mmu_invalidate_retry_gfn() and can
   * install a 2M leaf before the post-set pass marks the block mixed.
   */
  PRE_9129633D568E("pre-9129633d568e"),
  /**
   * Commit 9129633d568e "KVM: x86/mmu: Prevent installing hugepages when mem attributes are
   * changing": the whole 2M block that holds the first and the last changed gfn is added when it is
   * only partly covered, lies inside the memslot and is not already mixed.
   */
  MAINLINE("mainline");

  private final String knob;

  HugepageAdjust(String knob) {
    this.knob = knob;
  }

  public String knob() {
    return knob;
  }

  public static HugepageAdjust fromKnob(String v) {
    for (HugepageAdjust h : values()) if (h.knob.equals(v)) return h;
    throw new IllegalArgumentException("unknown kvm.hugepage-adjust " + v);
  }
}
