package gmemsim.model;

import java.util.List;

/** The components of one run, indexed as messages address them, and the routing between them. */
public record Machine(List<Component> components, Topology topology) {
  public Machine {
    components = List.copyOf(components);
  }

  public String name(int i) {
    return components.get(i).name();
  }

  public int size() {
    return components.size();
  }
}
