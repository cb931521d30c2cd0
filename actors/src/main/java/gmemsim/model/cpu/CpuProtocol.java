package gmemsim.model.cpu;

import gmemsim.model.Msg;

/** Messages a CPU handles besides the results of its own steps. */
public final class CpuProtocol {
  private CpuProtocol() {}

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
