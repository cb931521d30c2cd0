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
}
