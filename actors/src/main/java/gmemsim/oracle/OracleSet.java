package gmemsim.oracle;

import gmemsim.model.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * One run's oracles. An event goes only to the oracles that declare its type in
 * {@link Oracle#reads()}: most events interest one or two of them, and a run emits thousands.
 */
public final class OracleSet {
  private final Oracle[] oracles;
  private final ClassValue<int[]> routes;

  OracleSet(Oracle[] oracles, ClassValue<int[]> routes) {
    this.oracles = oracles;
    this.routes = routes;
  }

  /** Routes for oracles of these types, in this order: event class -> indexes of those that read it. */
  static ClassValue<int[]> routes(List<Oracle> prototypes) {
    List<List<Class<? extends Event>>> reads = prototypes.stream().map(Oracle::reads).toList();
    return new ClassValue<>() {
      @Override
      protected int[] computeValue(Class<?> event) {
        List<Integer> to = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
          for (Class<? extends Event> c : reads.get(i)) {
            if (c.isAssignableFrom(event)) {
              to.add(i);
              break;
            }
          }
        }
        return to.stream().mapToInt(Integer::intValue).toArray();
      }
    };
  }

  public void emit(Event e, Oracle.Sink sink) {
    for (int i : routes.get(e.getClass())) oracles[i].onEvent(e, sink);
  }

  public List<Oracle> oracles() {
    return List.of(oracles);
  }
}
