package gmemsim.model.program;

import gmemsim.model.Component;
import gmemsim.model.thread.HostThread;
import gmemsim.model.exec.SourcePath;
import java.util.List;
import java.util.Set;

/** A kernel thread with no CPU model of its own (no TLB): memory_failure()'s work. */
final class KthreadKind extends BaseKind {
  KthreadKind() {
    super("kthread", "a kernel thread without a CPU model (no TLB, no IPIs): memory_failure()", Set.of(Domain.KERNEL, Domain.SYNC));
  }

  @Override
  public boolean hasCpu() {
    return false;
  }

  @Override
  public Component component(ActorCtx a, List<SourcePath> program) {
    return new HostThread(a.name(), program);
  }
}
