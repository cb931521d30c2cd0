package gmemsim.runtime;

import gmemsim.runtime.akka.AkkaRuntime;
import gmemsim.runtime.controlled.ControlledRuntime;
import gmemsim.scenario.ScenarioException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runtimes, by name. */
public final class Runtimes {
  public static final String CONTROLLED = "controlled";
  public static final String AKKA = "akka";

  private static final Map<String, RuntimeKind> ALL = new LinkedHashMap<>();

  static {
    for (RuntimeKind k : List.of(new ControlledRuntime(), new AkkaRuntime())) ALL.put(k.name(), k);
  }

  private Runtimes() {}

  /** @throws ScenarioException naming the option and the runtimes there are */
  public static RuntimeKind of(String name) {
    RuntimeKind k = ALL.get(name);
    if (k == null) throw new ScenarioException("--runtime " + name + ": not one of " + ALL.keySet());
    return k;
  }

  public static Iterable<RuntimeKind> all() {
    return ALL.values();
  }
}
