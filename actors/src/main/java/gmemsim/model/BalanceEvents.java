package gmemsim.model;

import java.util.List;

/** What the kernel requires to be balanced by the time everything has finished. */
public final class BalanceEvents {
  private BalanceEvents() {}

  /**
   * At the end of a run (or when a path returns), something begun was never ended: an
   * invalidation still in progress, a lock still held, interrupts or preemption left disabled, a
   * folio left locked.
   *
   * @param what one line: what is left, and by whom where that is known
   * @param actors the paths that left it (empty when the owner cannot tell)
   * @param objects the lock, the range or the folio
   */
  public record LeftUnbalanced(String owner, String what, List<String> actors, List<String> objects) implements Event {}

  /**
   * At the end of a run, the translations a CPU still caches: the direct-map entries of its TLB
   * (the first pfn of each and how many pages it translates: 1, 512 or 262144, the size of the
   * leaf that filled it), and, on a vCPU's CPU, the gfns of its guest TLB with the pfn each was
   * filled with. Emitted only when it caches something.
   */
  public record CachedAtEnd(String cpu, int[] directMapPfns, int[] directMapPages, long[] guestGfns, int[] guestPfns)
      implements Event {}

  /** At the end of a run, the direct-map pages whose entry is not present (a CPU may cache none of them). */
  public record DirectMapAbsentAtEnd(String owner, int[] pfns) implements Event {}

  /** At the end of a run, what the (S-)EPT maps: each mapped gfn with its pfn (a guest TLB may cache no other). */
  public record EptAtEnd(String owner, long[] gfns, int[] pfns) implements Event {}
}
