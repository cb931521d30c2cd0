package gmemsim.model;

/**
 * A message between components. A request to a state owner is one atomic kernel step; its
 * {@link #step()} is the name of the kernel function it models, so a trace can be grepped.
 */
public interface Msg {
  /** The kernel function (or operation) this message models, e.g. {@code folio_try_get}. */
  String step();

  /** The step with its arguments, pfns in hex, for traces. Only called when tracing. */
  default String describe() {
    return Describe.record(this);
  }

  /**
   * True for the first step of a retry that only another path's progress can make succeed (a
   * fault going round again after RET_PF_RETRY): the sender spins. A scheduler that favours one
   * thread, such as pct, lowers the spinner so that the thread it waits for can run, as a real
   * machine with another CPU would.
   */
  default boolean yields() {
    return false;
  }

  /**
   * True for a lock release (spin_unlock, mutex_unlock, folio_unlock, up_write and the like): the
   * releaser's preempt_enable() or its wake of a waiter is where the scheduler most often runs
   * another thread, so a runtime that injects preemption may hold the releaser's next step back
   * there, while the waiter it handed the lock to goes on.
   */
  default boolean releasesLock() {
    return false;
  }

  /**
   * What the reply's value means for coverage (issue 14): the default tells 0, a positive value
   * and an error apart; messages whose replies are decisions name them.
   */
  default String outcome(long value) {
    if (value == 0) return "0";
    if (value > 0) return "> 0";
    return value != -1 && Errno.BY_NAME.containsValue((int) value) ? Errno.name(value) : "< 0";
  }

  /** Every outcome {@link #outcome} can give, when it names decisions (null: not declared). */
  default java.util.List<String> outcomes() {
    return null;
  }

  /**
   * The first of the objects (gfn, pfn or folio) the step touches, or -1 when it names none: race
   * windows on a component count only steps of other lanes on overlapping objects (issue 14).
   */
  default long objectStart() {
    return -1;
  }

  /** One past the last object the step touches (with {@link #objectStart}). */
  default long objectEnd() {
    long s = objectStart();
    return s < 0 ? -1 : s + 1;
  }
}
