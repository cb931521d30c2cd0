package gmemsim.oracle;

import gmemsim.model.BalanceEvents.LeftUnbalanced;
import gmemsim.model.Event;

/**
 * {@code unbalanced}: a run ended with something the kernel requires to be paired left open. A
 * run can look clean while an invalidate_begin never met its invalidate_end (in_progress stays
 * raised, so every later fault in the range retries for ever), a lock is still held by a path that
 * finished, or a function returned with interrupts off; only a later operation would show it, and
 * the run has none. Reads only the events the owners emit at quiescence and at a path's return.
 */
public final class UnbalancedOracle implements Oracle {
  public static final String NAME = "unbalanced";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof LeftUnbalanced u) sink.fire(NAME, u.owner() + ": " + u.what(), u.actors(), u.objects());
  }
}
