package gmemsim.model.program;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every actor kind a scenario may declare, by name. A new kind is one class added here. */
public final class ActorKinds {
  private static final Map<String, ActorKind> ALL = new LinkedHashMap<>();

  static {
    for (ActorKind k : new ActorKind[] {new VmmKind(), new VcpuKind(), new KernelCpuKind(), new KthreadKind()}) {
      ALL.put(k.name(), k);
    }
  }

  private ActorKinds() {}

  public static Map<String, ActorKind> all() {
    return java.util.Collections.unmodifiableMap(ALL);
  }
}
