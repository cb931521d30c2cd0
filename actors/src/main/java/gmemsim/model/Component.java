package gmemsim.model;

/**
 * One owner of simulated state. Its handler is deterministic: (state, message) determines the new
 * state and the messages sent, given the per-component generator in {@link Ctx#rng()}.
 */
public interface Component {
  String name();

  /** Handles one message atomically. */
  void onMessage(Msg m, Ctx ctx);

  /** Sends the first messages of a run (a thread starts its first path). */
  default void boot(Ctx ctx) {}

  /** Called once when nothing is left in flight, to report what the run left behind. */
  default void onQuiescence(Ctx ctx) {}

  /**
   * True for a thread of execution (host thread, vCPU) that owns no state another component
   * reads: messages to it may be delivered as soon as they are sent without hiding any
   * interleaving, because no other delivery can observe its state.
   */
  default boolean isThread() {
    return false;
  }

  /**
   * For threads: whether the step it is about to send may be delayed by an interrupt or a
   * reschedule (false inside a local_irq_disable() section). Runtimes that inject preemption
   * honour it; the controlled runtime needs no such hint, its strategy orders every step.
   */
  default boolean interruptible() {
    return true;
  }

  /**
   * For executors, asked while it sends: whether the step being sent is one of its own path's
   * steps that the thread or CPU may be preempted before (a host thread outside an IRQ-off
   * section; a CPU running a vCPU, which its host may deschedule between two instructions).
   * Never true for an acknowledgement or a reply. Only the Akka runtime's injected preemption
   * reads it.
   */
  default boolean preemptibleSend() {
    return isThread() && interruptible();
  }

  /**
   * Whether this component executes paths (a thread, or a CPU running kernel activity): a run is
   * over only when every executor has finished.
   */
  default boolean isExecutor() {
    return isThread();
  }

  /** For executors: the running path and where it is, for reports ("" when done). */
  default String activity() {
    return "";
  }

  /**
   * For executors running kernel source: where the step in flight was sent from, as {function,
   * "file:line", the line}; null otherwise. For traces.
   */
  default String[] sourceSite() {
    return null;
  }

  /**
   * For executors running kernel source: the call stack of the step in flight, outermost first,
   * each frame {function, line}; null otherwise. A reviewer's claimed interleaving is matched on it.
   */
  default String[][] sourceFrames() {
    return null;
  }

  /** For executors: the paths it was given to run (coverage names those that never ran). */
  default java.util.List<gmemsim.model.exec.SourcePath> program() {
    return java.util.List.of();
  }

  /** For executors: whether every path it was given has finished. */
  default boolean finished() {
    return true;
  }

  /**
   * Ghost facts about these pages for a violation report, one line each: what this component
   * knows of them that the oracles judge (refcount and holders, data tag, who maps or caches
   * them). Read-only; called only when a violation fired, so it may be slow.
   *
   * @param names component names by index, for tags that name an owner
   */
  default java.util.List<String> ghost(
      java.util.Set<Integer> pfns, java.util.function.IntFunction<String> names) {
    return java.util.List.of();
  }
}
