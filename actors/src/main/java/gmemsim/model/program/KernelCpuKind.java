package gmemsim.model.program;

import gmemsim.model.Component;
import gmemsim.model.cpu.Cpu;
import gmemsim.model.exec.SourcePath;
import java.util.List;
import java.util.Set;

/** Host kernel activity bound to a CPU: speculative loads, allocations, kcompactd, KVM's own writes. */
final class KernelCpuKind extends BaseKind {
  KernelCpuKind() {
    super("kernel", "host kernel work on its own CPU: speculative direct-map loads, __GFP_ZERO allocations, kcompactd, KVM writes",
        Set.of(Domain.KERNEL, Domain.SYNC));
  }

  @Override
  public boolean hasCpu() {
    return true;
  }

  @Override
  public Component component(ActorCtx a, List<SourcePath> program) {
    return new Cpu(a.name(), a.cpuTlb(), program);
  }
}
