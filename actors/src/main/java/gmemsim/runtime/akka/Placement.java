package gmemsim.runtime.akka;

import gmemsim.model.Component;
import gmemsim.model.mm.Memory;
import gmemsim.scenario.ScenarioException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which node hosts which component: by cluster role (memory: struct-page ranges; cpu: threads,
 * vCPUs, CPUs and TLBs; kvm: everything else), round-robin over the nodes that have the role.
 * Every node computes nothing itself; the coordinator decides and tells each guardian.
 */
final class Placement {
  static final String COORDINATOR = "coordinator";
  static final List<String> HOSTING_ROLES = List.of("memory", "cpu", "kvm");

  private Placement() {}

  static String roleOf(Component c) {
    if (c.isThread()) return "cpu";
    if (c instanceof Memory || c instanceof gmemsim.model.dmap.DirectMap) return "memory";
    if (c instanceof gmemsim.model.cpu.Cpu) return "cpu";
    return "kvm";
  }

  /**
   * @param nodeRoles roles of each node, in a fixed node order
   * @return the node index of each component
   */
  static int[] place(List<Component> components, List<List<String>> nodeRoles) {
    int[] nodeOf = new int[components.size()];
    Map<String, Integer> turn = new HashMap<>();
    for (int c = 0; c < components.size(); c++) {
      String role = roleOf(components.get(c));
      List<Integer> candidates = new ArrayList<>();
      for (int n = 0; n < nodeRoles.size(); n++) if (nodeRoles.get(n).contains(role)) candidates.add(n);
      if (candidates.isEmpty()) {
        throw new ScenarioException(
            "impossible topology: no node has role '" + role + "' for component "
                + components.get(c).name() + " (node roles: " + nodeRoles + ")");
      }
      int t = turn.merge(role, 1, Integer::sum) - 1;
      nodeOf[c] = candidates.get(t % candidates.size());
    }
    return nodeOf;
  }
}
