package gmemsim.model.cpu;

import static gmemsim.model.dmap.Addr.hexVa;

import gmemsim.model.Msg;

/** Messages a CPU handles besides the results of its own steps. */
public final class CpuProtocol {
  private CpuProtocol() {}

  /**
   * The function flush_tlb_kernel_range() / flush_tlb_all() runs on every CPU through
   * on_each_cpu(): INVLPG per page of [start, end), or a full flush. The reply is the ack the
   * sender waits for.
   */
  public record FlushTlbIpi(long start, long end, boolean full) implements Msg {
    public String step() {
      return full ? "flush_tlb_all IPI" : "flush_tlb_kernel_range IPI";
    }

    @Override
    public String describe() {
      return full ? step() + "()" : step() + " [" + hexVa(start) + ", " + hexVa(end) + ")";
    }
  }

  /**
   * kvm_flush_remote_tlbs() as one vCPU sees it: KVM_REQ_TLB_FLUSH plus a kick; the CPU running the
   * vCPU leaves guest mode, flushes the VM's guest translations and acks. Taken between guest
   * instructions, like an IPI.
   */
  public record KvmTlbFlushRequest(int vm) implements Msg {
    public String step() {
      return "kvm_make_all_cpus_request(KVM_REQ_TLB_FLUSH)";
    }
  }
}
