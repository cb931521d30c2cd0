package gmemsim.model.kvm;

import gmemsim.model.Ctx;
import gmemsim.model.cpu.CpuProtocol;
import gmemsim.model.cpu.TlbShootdown;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * kvm_flush_remote_tlbs(): KVM_REQ_TLB_FLUSH to every vCPU of the VM, each kicked out of guest
 * mode, and wait until every one has flushed and acked; only then may the caller free or reuse
 * what the zapped SPTEs mapped.
 */
public final class KvmFlushRemoteTlbsPath implements Path {
  private final TlbShootdown requests;
  private final int vm;

  public KvmFlushRemoteTlbsPath(KvmBinding b) {
    this.requests = new TlbShootdown(b.vcpuCpus());
    this.vm = b.vm();
  }

  @Override
  public String name() {
    return "kvm_flush_remote_tlbs";
  }

  @Override
  public boolean start(Ctx ctx) {
    return requests.sendAll(ctx, new CpuProtocol.KvmTlbFlushRequest(vm));
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    return requests.ack();
  }

  @Override
  public String where() {
    return "waiting for vCPU acks";
  }
}
