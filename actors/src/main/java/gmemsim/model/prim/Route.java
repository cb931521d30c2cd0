package gmemsim.model.prim;

/** How a primitive's call finds the component that owns the state the step touches. */
public enum Route {
  /**
   * The first argument names it: a page frame (struct page, folio) routes to the memory
   * component holding that frame; a handle (a kernel object, or a lock inside one) to its owner.
   */
  FIRST_ARG,
  /** The first argument is a NUMA node id: the memory range of that node (alloc_pages_node()). */
  NODE,
  /** The machine's only component of the owner's kind (the kernel direct map). */
  SINGLETON,
  /** The executing CPU or thread itself: no step, it runs inline (a TLB lookup on this CPU). */
  SELF,
  /** Every online CPU, each its own step; the call returns once all have answered (on_each_cpu). */
  EACH_CPU,
  /** The CPU of every vCPU of the VM the first argument names (kvm_make_all_cpus_request). */
  EACH_VCPU
}
