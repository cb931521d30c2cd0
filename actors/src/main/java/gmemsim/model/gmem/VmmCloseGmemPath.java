package gmemsim.model.gmem;

import gmemsim.model.Ctx;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * The VMM's close() of the guest_memfd: fput(); if that was the last reference, __fput() runs
 * kvm_gmem_release() here; otherwise whoever holds the last one (a vCPU inside
 * kvm_gmem_get_pfn()) runs it when it puts the file.
 */
public final class VmmCloseGmemPath extends CallingPath {
  private final GmemEnv env;
  private final Task task;
  private boolean releasing;

  public VmmCloseGmemPath(GmemEnv env, Task task) {
    this.env = env;
    this.task = task;
  }

  @Override
  public String name() {
    return "close(guest_memfd)";
  }

  @Override
  protected boolean begin(Ctx ctx) {
    releasing = false;
    ctx.send(env.inode(), new GmemProtocol.Fput());
    return false;
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    if (releasing || r.value() != 0) return true;
    releasing = true;
    return call(new KvmGmemReleasePath(env, task), ctx);
  }

  @Override
  protected String here() {
    return releasing ? "__fput" : "fput";
  }
}
