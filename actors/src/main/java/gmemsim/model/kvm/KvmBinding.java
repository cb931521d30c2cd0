package gmemsim.model.kvm;

/**
 * How a guest_memfd is bound to a VM: the KVM component of the VM, its type, the memslot's first
 * gfn (file index 0 is at baseGfn: one memslot covering the whole file) and the CPUs that run its
 * vCPUs (where remote TLB flushes go).
 */
public record KvmBinding(int kvm, int vm, VmType type, long baseGfn, int[] vcpuCpus) {
  public long gfn(int index) {
    return baseGfn + index;
  }

  public int index(long gfn) {
    return (int) (gfn - baseGfn);
  }
}
