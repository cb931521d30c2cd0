package gmemsim.model.kvm;

/**
 * The design choices of issue 5 in one place (each a real alternative that existed or was
 * proposed), as the paths read them.
 *
 * @param retryCheck kvm.fault-retry-check
 * @param splitBeforeZap tdx.split-before-zap: kvm_split_cross_boundary_leafs() before a partial zap
 * @param invalidateExact gmem.invalidate-range: exact, or rounded out to folio bounds
 * @param getPfnTakesInvalidateLock the 2025 patch behind race 14
 * @param hugepageAdjust kvm.hugepage-adjust: the pre-set pass before or after commit 9129633d568e
 * @param attrSplitErrorEndsInvalidation tdx.attr-split-error: false as posted (the failed pre-set
 *     pass skips the post-set pass, kvm_mmu_invalidate_end() never runs), true when corrected
 * @param punchHoleSplit tdx.punch-hole-split: the posted mmu_lock sections of the TD punch hole
 * @param errorFolioTrylock gmem.error-folio: kvm_gmem_error_folio() only tries the invalidate lock
 */
public record KvmDesign(
    FaultRetryCheck retryCheck,
    boolean splitBeforeZap,
    boolean invalidateExact,
    boolean getPfnTakesInvalidateLock,
    HugepageAdjust hugepageAdjust,
    boolean attrSplitErrorEndsInvalidation,
    PunchHoleSplit punchHoleSplit,
    boolean errorFolioTrylock) {

  /** Mainline plus the agreed huge-page fixes. */
  public static KvmDesign mainline() {
    return new KvmDesign(FaultRetryCheck.FULL, true, true, false, HugepageAdjust.MAINLINE, false, PunchHoleSplit.V3, false);
  }
}
