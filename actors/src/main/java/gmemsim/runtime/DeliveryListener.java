package gmemsim.runtime;

import gmemsim.oracle.Violation;
import java.util.List;

/** Receives every scheduled delivery of a traced run (the trace layer implements it). */
public interface DeliveryListener {
  /** Before the first delivery: the components' names by index. */
  default void onStart(List<String> componentNames) {}

  /** What the components noted while they booted, before the first step (a call that made no step, such as a failed create). */
  default void onBoot(List<String> notes) {}

  /**
   * @param notes what the step changed, in order, including notes of the threads that consumed
   *     its result at once
   * @param fired violations reported at this step (every firing, not only each oracle's first)
   */
  void onDelivery(long step, Envelope e, List<String> notes, List<Violation> fired);

  /**
   * As {@link #onDelivery(long, Envelope, List, List)}, with the kernel function the sender was in
   * when it sent the message (its current path: {@code kvm_try_get_pfn}, {@code __folio_split}),
   * or "" for replies and senders that run no paths.
   */
  default void onDelivery(long step, Envelope e, String caller, List<String> notes, List<Violation> fired) {
    onDelivery(step, e, notes, fired);
  }

  /**
   * As above, with the line of kernel source that sent the message ("mm/gup.c:22: if
   * (!folio_ref_try_add(folio, refs))"), or "" when no source line sent it.
   */
  default void onDelivery(long step, Envelope e, String caller, String source, List<String> notes, List<Violation> fired) {
    onDelivery(step, e, caller, notes, fired);
  }

  /**
   * Right after a step (or the end-of-run checks, with the step count) at which violations
   * fired: every component's ghost facts about the pages they name.
   */
  default void onGhost(long step, List<String> ghost) {}

  /** After the last delivery: what the end-of-run checks found. */
  void onEnd(long steps, List<Violation> fired);
}
