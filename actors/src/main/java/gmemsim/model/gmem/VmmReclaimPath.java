package gmemsim.model.gmem;

import gmemsim.model.Ctx;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/** The VMM's balloon handler: pop an inflated index, punch it out of the guest_memfd. */
public final class VmmReclaimPath extends CallingPath {
  private final GmemEnv env;
  private final Task task;
  private final int balloon;
  private boolean popped;
  private int index = -1;

  public VmmReclaimPath(GmemEnv env, Task task, int balloon) {
    this.env = env;
    this.task = task;
    this.balloon = balloon;
  }

  @Override
  public String name() {
    return "balloon deflate handler";
  }

  @Override
  protected boolean begin(Ctx ctx) {
    if (task.dead()) return true;
    popped = false;
    ctx.send(balloon, new BalloonProtocol.Pop());
    return false;
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    if (popped) return true;
    popped = true;
    index = (int) r.value();
    return call(new KvmGmemPunchHolePath(env, task, index, 1, false), ctx);
  }

  @Override
  protected String here() {
    return popped ? "punch index " + index : "virtqueue_pop";
  }
}
