package gmemsim.model.kvm;

/** kvm.fault-retry-check: how a fault decides its pfn went stale while it slept (§6, race 3). */
public enum FaultRetryCheck {
  /** Mainline: the lockless pre-check, then mmu_invalidate_retry_gfn() under mmu_lock. */
  FULL("full"),
  /** Only mmu_invalidate_retry_gfn_unsafe() before taking mmu_lock: it has false negatives. */
  LOCKLESS_ONLY("lockless-only"),
  /** No check at all: install whatever get_pfn returned. */
  NONE("none");

  private final String knob;

  FaultRetryCheck(String knob) {
    this.knob = knob;
  }

  public String knob() {
    return knob;
  }

  public static FaultRetryCheck fromKnob(String v) {
    for (FaultRetryCheck c : values()) if (c.knob.equals(v)) return c;
    throw new IllegalArgumentException("unknown kvm.fault-retry-check " + v);
  }
}
