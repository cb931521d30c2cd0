package gmemsim.model.thread;

import gmemsim.model.Ctx;

/**
 * What an executor runs, one step at a time: each call sends the next request to the owner of the
 * state the next step touches, or reports that the path is finished. Local computation between
 * two steps happens inside these calls; it touches no shared state. Kernel functions are {@link
 * gmemsim.model.exec.SourcePath}s (kernel source); the only other paths are a system call's
 * sequence and result check ({@code SyscallPath}) and a result with no step ({@code ResultPath}).
 */
public interface Path {
  /** The kernel entry point this path models. */
  String name();

  /** Sends the first request; returns true if there was nothing to do. */
  boolean start(Ctx ctx);

  /** Consumes the result of the last step; sends the next request or returns true when done. */
  boolean onReply(ThreadProtocol.Ret r, Ctx ctx);

  /** Whether the step just sent may be delayed by an interrupt (false with IRQs disabled). */
  default boolean interruptible() {
    return true;
  }

  /**
   * For paths a CPU executes: whether this reply completes the current instruction (a load's
   * walk does not, its data access does). Interrupts are taken only at such boundaries.
   */
  default boolean replyEndsInstruction(ThreadProtocol.Ret r) {
    return true;
  }

  /**
   * For paths a CPU executes: whether the step in flight is part of an instruction that uses a
   * translation (a page walk, a load or store through the direct map). An IPI that arrives then
   * waits until the instruction retires; one that arrives while the path sleeps or waits for
   * acks is handled at once.
   */
  default boolean inInstruction() {
    return false;
  }

  /** Where the path is, for reports of a thread that never finished. */
  String where();
}
