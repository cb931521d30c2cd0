package gmemsim.model.program;

import gmemsim.model.Component;
import gmemsim.model.cpu.Cpu;
import gmemsim.model.exec.SourcePath;
import java.util.List;
import java.util.Set;

/** The VMM process on a CPU of its own: system calls and ioctls, and the kernel work of its CPU. */
final class VmmKind extends BaseKind {
  VmmKind() {
    super("vmm", "a userspace process (the VMM) on its own CPU: guest_memfd and KVM system calls",
        Set.of(Domain.USERSPACE, Domain.KERNEL, Domain.SYNC));
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
