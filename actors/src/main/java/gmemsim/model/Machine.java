package gmemsim.model;

import java.util.List;

/** The components of one run, indexed as messages address them, and the routing between them. */
public record Machine(List<Component> components, Topology topology, gmemsim.lang.Program program) {
  public Machine {
    components = List.copyOf(components);
  }

  /** A machine whose paths are not kernel source (tests). */
  public Machine(List<Component> components, Topology topology) {
    this(components, topology, null);
  }

  /** "mm/gup.c:22 (try_get_folio)": where a step of kernel source was sent from, or "". */
  public String siteOf(Msg m) {
    if (program == null || !(m instanceof gmemsim.model.prim.Step s) || s.site() < 0 || s.site() >= program.sites()) return "";
    gmemsim.lang.Site site = program.site(s.site());
    return site.pos().fileLine() + " (" + site.fn().name + ")";
  }

  public String name(int i) {
    return components.get(i).name();
  }

  public int size() {
    return components.size();
  }
}
