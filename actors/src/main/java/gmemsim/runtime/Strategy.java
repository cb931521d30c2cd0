package gmemsim.runtime;

import java.util.List;

/** Chooses which in-flight message the controlled runtime delivers next. */
public interface Strategy {
  String name();

  /** Resets for a new run; {@code components} is the number of possible lanes. */
  void beginRun(long runSeed, int components);

  /** Index in {@code pool} of the message to deliver at this step. */
  int pick(List<Envelope> pool, long step);

  /** The lane just delivered a {@link gmemsim.model.Msg#yields() yielding} step. */
  default void yielded(int lane) {}
}
