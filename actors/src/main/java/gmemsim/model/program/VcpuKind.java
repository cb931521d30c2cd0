package gmemsim.model.program;

import gmemsim.model.Component;
import gmemsim.model.cpu.Cpu;
import gmemsim.model.exec.SourcePath;
import java.util.List;
import java.util.Set;

/** A vCPU thread on its own CPU: guest accesses that fault through KVM, TDCALLs. */
final class VcpuKind extends BaseKind {
  VcpuKind() {
    super("vcpu", "a vCPU thread on its own CPU (guest TLB; KVM's remote TLB flushes reach it): guest accesses",
        Set.of(Domain.GUEST, Domain.KERNEL, Domain.SYNC));
  }

  @Override
  public boolean hasCpu() {
    return true;
  }

  @Override
  public boolean vcpu() {
    return true;
  }

  @Override
  public Component component(ActorCtx a, List<SourcePath> program) {
    return new Cpu(a.name(), a.cpuTlb(), a.guestTlb(), program);
  }
}
