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
}
