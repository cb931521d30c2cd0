package gmemsim.oracle;

import gmemsim.model.Event;
import java.util.List;

/**
 * A general invariant over ghost facts. It looks only at the facts components report (never at
 * which design variant runs) and reports through the sink when a fact breaks it. One instance
 * serves one run.
 */
public interface Oracle {
  /** The stable name scenarios and reports use, e.g. {@code wrong-folio-ref}. */
  String name();

  /**
   * The event types this oracle reads (a supertype stands for its subtypes): the runtimes hand it
   * no other event. Its {@code onEvent} may rely on that.
   */
  List<Class<? extends Event>> reads();

  void onEvent(Event e, Sink sink);

  /** Where violations go; the runtime stamps them with the step. */
  interface Sink {
    void fire(String oracle, String message, List<String> actors, List<String> objects);
  }
}
