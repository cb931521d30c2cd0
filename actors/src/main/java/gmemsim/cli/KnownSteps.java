package gmemsim.cli;

import gmemsim.model.Msg;
import gmemsim.model.prim.Prim;
import gmemsim.model.prim.Primitives;
import gmemsim.runtime.akka.WireRegistry;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every step name a hunt can count in a race window: each primitive's kernel name, and the names
 * the Java paths not yet moved to kernel source give their requests (read off each message class
 * with its flags off and on). expect.windows is checked against them when the scenario loads.
 */
final class KnownSteps {
  private static volatile Set<String> names;

  private KnownSteps() {}

  static Set<String> names() {
    Set<String> n = names;
    if (n == null) {
      n = new LinkedHashSet<>();
      for (Prim p : Primitives.all()) n.add(p.name());
      for (Class<?> c : WireRegistry.ids().values()) {
        if (!Msg.class.isAssignableFrom(c) || !c.isRecord() || c == gmemsim.model.prim.Step.class) continue;
        for (boolean flag : new boolean[] {false, true}) {
          try {
            n.add(((Msg) instance(c, flag)).step());
          } catch (ReflectiveOperationException | RuntimeException e) {
            // a message whose step cannot be named without real values: nothing to add
          }
        }
      }
      names = n;
    }
    return n;
  }

  private static Object instance(Class<?> c, boolean flag) throws ReflectiveOperationException {
    RecordComponent[] rc = c.getRecordComponents();
    Class<?>[] types = new Class<?>[rc.length];
    Object[] args = new Object[rc.length];
    for (int i = 0; i < rc.length; i++) {
      types[i] = rc[i].getType();
      args[i] = types[i] == boolean.class ? flag : types[i] == int.class ? 0 : types[i] == long.class ? 0L
          : types[i] == Boolean.class ? (flag ? Boolean.TRUE : null) : types[i] == String.class ? "" : null;
    }
    Constructor<?> k = c.getDeclaredConstructor(types);
    k.setAccessible(true);
    return k.newInstance(args);
  }

  /** A window of expect.windows, "A -> B" or "A -> B <- C", checked: a mistake is bad input now, not after the budget. */
  static void check(String at, String window) {
    int arrow = window.indexOf(" -> ");
    if (arrow <= 0) throw new gmemsim.scenario.ScenarioException(at + ": '" + window + "' is not \"A -> B\" or \"A -> B <- C\"");
    String a = window.substring(0, arrow).strip();
    String rest = window.substring(arrow + 4);
    int back = rest.indexOf(" <- ");
    List<String> steps = back < 0 ? List.of(a, rest.strip()) : List.of(a, rest.substring(0, back).strip(), rest.substring(back + 4).strip());
    for (String s : steps) {
      if (s.isEmpty() || !names().contains(s)) {
        throw new gmemsim.scenario.ScenarioException(at + ": '" + window + "' names '" + s + "', which is no step of the"
            + " model; did you mean '" + gmemsim.util.Suggest.closest(s, new TreeSet<>(names())) + "'? (gmemsim list prints the primitives)");
      }
    }
  }
}
