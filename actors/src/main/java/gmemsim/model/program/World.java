package gmemsim.model.program;

import gmemsim.model.Topology;
import gmemsim.model.kvm.VmType;
import gmemsim.scenario.Scenario;
import java.util.Map;

/**
 * What the programs of a scenario share once the machine is laid out: the memory, the direct
 * map, the guest_memfd and VM the programs' create and bind made (null when none did), the
 * futexes named in programs, the guest-page hand-offs (by {@code ProgramBuilder.handoffKey}), the balloon device, and which components are CPUs and vCPUs (where
 * flush IPIs go), and the kernel source that runs on the machine ({@code env}).
 */
public record World(
    Scenario scenario,
    Topology topo,
    int directMap,
    VmType vmType,
    GmemFile file,
    VmSlot vm,
    Map<String, Integer> futexes,
    Map<String, Integer> handoffs,
    int balloon,
    int[] cpus,
    int[] specPool,
    GuestPages guestPages,
    AnonRam anon,
    ProcessMm mm,
    Map<String, Integer> actors,
    java.util.function.IntToLongFunction bootGen,
    gmemsim.model.exec.KernelEnv env) {
  public static final int PAGE_SIZE = 4096;
  /** The VM's id in page tags (ghost). */
  public static final int VM_ID = 1;
}
