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

  /**
   * KVM_SET_MEMORY_ATTRIBUTES' post-set pass (kvm_handle_gfn_range() with kvm_mmu_invalidate_end
   * as on_lock and kvm_arch_post_set_memory_attributes() as handler): the seq bump and the mixed
   * flags change under one hold of mmu_lock, so no fault sees the one without the other.
   */
  public static StepListPath postSetMemoryAttributes(KvmBinding b, int start, int end) {
    return new StepListPath(
        "kvm_post_set_memory_attributes",
        List.of(
            new StepListPath.Step(b.kvm(), new KvmProtocol.MmuLock(true)),
            new StepListPath.Step(b.kvm(), new KvmProtocol.MmuInvalidateEnd()),
            new StepListPath.Step(b.kvm(), new KvmProtocol.KvmArchPostSetMemoryAttributes(b.gfn(start), b.gfn(end))),
            new StepListPath.Step(b.kvm(), new KvmProtocol.MmuUnlock(true))));
  }
}
