package gmemsim.oracle;

import java.util.List;

/**
 * The first step of a run at which an oracle's invariant failed.
 *
 * @param actors the components involved
 * @param objects the pages and folios involved, as hex pfns, so a trace can keep every step that
 *     touched them
 * @param race the racing-step signature (gmemsim.runtime.Race#signature), "" where the runtime
 *     cannot tell (the akka runtime, before its log replay)
 */
public record Violation(
    String oracle, long step, List<String> actors, List<String> objects, String message, String race) {
  public Violation(String oracle, long step, List<String> actors, List<String> objects, String message) {
    this(oracle, step, actors, objects, message, "");
  }
}
