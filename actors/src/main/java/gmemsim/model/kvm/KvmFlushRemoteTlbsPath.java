package gmemsim.model.kvm;

import gmemsim.model.Ctx;
import gmemsim.model.cpu.CpuProtocol;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * kvm_flush_remote_tlbs(): KVM_REQ_TLB_FLUSH to every vCPU of the VM, each kicked out of guest
 * mode, and wait until every one has flushed and acked; only then may the caller free or reuse
 * what the zapped SPTEs mapped.
 */
public final class KvmFlushRemoteTlbsPath implements Path {
  private final int[] cpus;
  private final int vm;
  private int acks;

  public KvmFlushRemoteTlbsPath(KvmBinding b) {
    this.cpus = b.vcpuCpus().clone();
    this.vm = b.vm();
  }

  @Override
  public String name() {
    return "kvm_flush_remote_tlbs";
  }

  @Override
  public boolean start(Ctx ctx) {
    acks = 0;
    for (int c : cpus) ctx.send(c, new CpuProtocol.KvmTlbFlushRequest(vm));
    return cpus.length == 0;
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    return ++acks == cpus.length;
  }

  @Override
  public String where() {
    return "waiting for vCPU acks";
  }
}
