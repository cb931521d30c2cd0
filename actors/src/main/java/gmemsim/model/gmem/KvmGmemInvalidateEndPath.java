package gmemsim.model.gmem;

import gmemsim.model.kvm.KvmBinding;
import gmemsim.model.kvm.KvmProtocol;
import gmemsim.model.thread.StepListPath;
import java.util.List;

/** kvm_gmem_invalidate_end(): kvm_mmu_invalidate_end() under write_lock(mmu_lock). */
public final class KvmGmemInvalidateEndPath {
  private KvmGmemInvalidateEndPath() {}

  public static StepListPath of(KvmBinding b) {
    return new StepListPath(
        "kvm_gmem_invalidate_end",
        List.of(
            new StepListPath.Step(b.kvm(), new KvmProtocol.MmuLock(true)),
            new StepListPath.Step(b.kvm(), new KvmProtocol.MmuInvalidateEnd()),
            new StepListPath.Step(b.kvm(), new KvmProtocol.MmuUnlock(true))));
  }
}
