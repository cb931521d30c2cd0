package gmemsim.model.gmem;

/** Where a design takes guest_memfd folios out of the direct map and puts them back (§7). */
public enum DirectMapRemoval {
  /** No removal: the baseline every design is measured against. */
  OFF("off", new NoRemoval()),
  /**
   * RFC v3 (seed 002, Oct 2024) as posted: kvm_gmem_folio_configure_direct_map() after prepare,
   * restore or HWPoison in free_folio.
   */
  RFC_V3("rfc-v3", new RfcV3Removal()),
  /** v10-v12 (seeds 000, 001): zap after prepare under the folio lock, restore in free_folio. */
  PER_FOLIO("per-folio", new PerFolioRemoval()),
  /** The design agreed in seed 001: zap in filemap_add_folio(), restore in filemap_remove_folio(). */
  FILEMAP("filemap", new FilemapRemoval());

  private final String knob;
  private final DirectMapDesign hooks;

  DirectMapRemoval(String knob, DirectMapDesign hooks) {
    this.knob = knob;
    this.hooks = hooks;
  }

  /** The design's hooks into guest_memfd's paths. */
  public DirectMapDesign hooks() {
    return hooks;
  }

  public String knob() {
    return knob;
  }

  public static DirectMapRemoval fromKnob(String v) {
    for (DirectMapRemoval d : values()) if (d.knob.equals(v)) return d;
    throw new IllegalArgumentException(v);
  }
}
