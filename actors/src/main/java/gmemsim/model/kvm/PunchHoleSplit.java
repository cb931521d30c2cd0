package gmemsim.model.kvm;

/**
 * tdx.punch-hole-split: how the TDX huge-page series' kvm_gmem_invalidate_begin() (virt/kvm/
 * guest_memfd.c as posted) lays out its mmu_lock sections around the S-EPT split before the zap.
 */
public enum PunchHoleSplit {
  /**
   * RFC v2 (August 2025): begin in its own section without adding a range (the zap adds it), the
   * split in a second section that flushes before unlocking, then the zap; a failed split skips the
   * zap and the truncation and still calls kvm_gmem_invalidate_end(), whose
   * kvm_mmu_invalidate_end() finds no range.
   */
  RFC_V2("rfc-v2"),
  /**
   * v3 (January 2026): begin adds the range in its section, the split runs in a second section
   * without a flush and, when it fails, ends the invalidation there and unlocks; otherwise the zap
   * follows in a third section.
   */
  V3("v3");

  private final String knob;

  PunchHoleSplit(String knob) {
    this.knob = knob;
  }

  public String knob() {
    return knob;
  }

  public static PunchHoleSplit fromKnob(String v) {
    for (PunchHoleSplit p : values()) if (p.knob.equals(v)) return p;
    throw new IllegalArgumentException("unknown tdx.punch-hole-split " + v);
  }
}
