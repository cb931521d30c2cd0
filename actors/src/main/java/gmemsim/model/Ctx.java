package gmemsim.model;

import java.util.random.RandomGenerator;

/**
 * What a component may do while it handles one message. The runtime (controlled or Akka)
 * provides it; the component never learns which runtime it runs in.
 */
public interface Ctx {
  /** This component's index in the machine. */
  int self();

  /** The component that sent the message being handled. */
  int sender();

  /** Name of a component, for ghost events and trace notes. */
  String name(int component);

  void send(int to, Msg m);

  default void reply(Msg m) {
    send(sender(), m);
  }

  /** This component's own generator, seeded from the run seed and the component index. */
  RandomGenerator rng();

  /**
   * One of n outcomes the model leaves open (get_random_u32_below(n)): drawn from {@link #rng()},
   * or chosen by an exhaustive search, which tries each.
   */
  default int choose(int n) {
    return rng().nextInt(n);
  }

  /** An injected event of probability p (an allocation that fails): both outcomes under a search when 0 < p < 1. */
  default boolean chance(double p) {
    return rng().nextDouble() < p;
  }

  /** Reports a ghost fact about the step being handled to the oracles. */
  void emit(Event e);

  /** True when the runtime records a readable trace; guard {@link #note} calls with it. */
  boolean tracing();

  /** What the step changed, for the trace. */
  void note(String change);

  /**
   * A path's decision at a step, for coverage (issue 14): {@code possible} lists every outcome the
   * decision can have, so that a hunt can say which it never saw. No-op unless the runtime counts.
   */
  default void outcome(String step, String outcome, java.util.List<String> possible) {}

  /**
   * The counters of the basic blocks of kernel program p that runs on this machine, for coverage
   * (one increment per block entered), or null when the runtime does not count.
   */
  /**
   * The one {@code Call} a single-threaded runtime reuses for every step it delivers, or null:
   * then the dispatcher uses its thread's own.
   */
  default gmemsim.model.prim.Call scratchCall() {
    return null;
  }

  default int[] blockCounts(gmemsim.lang.Program p) {
    return null;
  }
}
