package gmemsim.model.gmem;

/** gmem.truncate-range: what PUNCH_HOLE does with a large folio the range covers only in part. */
public enum TruncateRange {
  /** truncate_inode_partial_folio(): split the folio, then free the pieces inside the range. */
  EXACT("exact"),
  /** Free every folio the range touches, whole (pages outside the range go with it). */
  FOLIO_ROUNDED("folio-rounded"),
  /**
   * The hugetlb guest_memfd series (RFC v2, 2025: kvm_gmem_truncate_inode_range()): whole huge
   * folios inside the range are freed; the covered part of a partial one is zeroed in place with
   * kvm_gmem_zero_range() -> folio_zero_segment(), through kmap_local_page(), which on x86-64 is
   * the direct map, and the folio stays in the page cache.
   */
  ZERO_PARTIAL("zero-partial");

  private final String knob;

  TruncateRange(String knob) {
    this.knob = knob;
  }

  public String knob() {
    return knob;
  }

  public static TruncateRange fromKnob(String v) {
    for (TruncateRange t : values()) if (t.knob.equals(v)) return t;
    throw new IllegalArgumentException("unknown gmem.truncate-range " + v);
  }
}
