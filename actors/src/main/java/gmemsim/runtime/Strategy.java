package gmemsim.runtime;

import java.util.List;

/** Chooses which in-flight message the controlled runtime delivers next. */
public interface Strategy {
  String name();

  /** Resets for a new run; {@code components} is the number of possible lanes. */
  void beginRun(long runSeed, int components);

  /**
   * Index in {@code pool} of the message to deliver at this step, or {@link #STOP}: every run that
   * goes on from here is equivalent to one already explored (an exhaustive search's sleep set), so
   * the run ends with no end-of-run checks.
   */
  int pick(List<Envelope> pool, long step);

  int STOP = -1;

  /** Whether this strategy makes the model's open choices ({@link gmemsim.model.Ctx#choose}) itself. */
  default boolean choosesData() {
    return false;
  }

  /** The outcome, in [0, n), of one of the model's open choices (only when {@link #choosesData}). */
  default int choose(int n) {
    throw new UnsupportedOperationException(name() + " makes no choices of the model's");
  }

  /** The components of the run about to be made (a strategy that looks at who sent a step, and from where). */
  default void attach(List<gmemsim.model.Component> components) {}

  /** Whether {@link #stepDone} is wanted: the run records each step's footprint only then. */
  default boolean observesSteps() {
    return false;
  }

  /**
   * The step just delivered, after the deliveries it caused at once (replies to host threads):
   * {@code touched} the components whose state it read or changed, {@code sent} the ids of the
   * messages it put in flight.
   */
  default void stepDone(Envelope e, int[] touched, int nTouched, long[] sent, int nSent) {}

  /** The lane just delivered a {@link gmemsim.model.Msg#yields() yielding} step. */
  default void yielded(int lane) {}
}
