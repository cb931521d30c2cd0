package gmemsim.model.kvm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.gmem.GmemEnv;
import gmemsim.model.gmem.Task;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * The guest's accept_memory() of one gfn: TDG.MEM.PAGE.ACCEPT; if nothing maps it yet, the EPT
 * violation makes KVM fault the page in (TDH.MEM.PAGE.AUG, PENDING), and the guest accepts again.
 */
public final class TdgMemPageAcceptPath extends PcPath<TdgMemPageAcceptPath.Pc> {
  enum Pc {
    ACCEPT,
    FAULT,
    DONE
  }

  private final GmemEnv env;
  private final Task task;
  private final int index;
  private KvmTdpPageFaultPath fault;

  public TdgMemPageAcceptPath(GmemEnv env, Task task, int index) {
    this.env = env;
    this.task = task;
    this.index = index;
  }

  @Override
  public String name() {
    return "tdx_accept_memory";
  }

  @Override
  protected boolean begin(Ctx ctx) {
    if (task.dead()) {
      return finishAt(Pc.DONE);
    }
    return accept(ctx);
  }

  private boolean accept(Ctx ctx) {
    return request(ctx, Pc.ACCEPT, env.kvm().kvm(), new KvmProtocol.TdgMemPageAccept(env.kvm().gfn(index)));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case ACCEPT -> {
        if (r.value() == 0) {
          return finishAt(Pc.DONE);
        }
        if (fault == null) fault = new KvmTdpPageFaultPath(env, task, index, true, false);
        return callAt(ctx, Pc.FAULT, fault);
      }
      case FAULT -> {
        if (fault.result < 0) {
          if (fault.vmStops()) task.kill();
          return finishAt(Pc.DONE);
        }
        return accept(ctx);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  @Override
  protected String here() {
    return pc + " gfn " + hex(env.kvm().gfn(index));
  }
}
