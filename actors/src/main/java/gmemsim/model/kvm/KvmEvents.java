package gmemsim.model.kvm;

import gmemsim.model.Event;

/** Ghost facts the KVM MMU reports; oracles decide which are violations. */
public final class KvmEvents {
  private KvmEvents() {}

  /**
   * An SPTE was installed for nr gfns from gfn, as private or shared, while the memory attributes
   * of {@code mismatched} of them say the other kind.
   */
  public record SpteInstalled(String actor, int vm, long gfn, int nr, boolean isPrivate, int mismatched)
      implements Event {}

  /**
   * Memory attributes of [start, end) were stored while {@code stillMapped} of those gfns are
   * still mapped by SPTEs of the old kind.
   */
  public record AttributesStored(String actor, int vm, long start, long end, boolean isPrivate, int stillMapped)
      implements Event {}

  /**
   * A private S-EPT leaf of nr gfns from gfn was removed from a TD while serving a userspace
   * request for [userStart, userEnd); {@code acceptedOutside} pages of the leaf lie outside that
   * range and had been accepted by the guest (their contents are gone, the guest must re-accept).
   */
  public record SeptLeafRemoved(
      String actor, int vm, long gfn, int nr, long userStart, long userEnd, int acceptedOutside)
      implements Event {}
}
