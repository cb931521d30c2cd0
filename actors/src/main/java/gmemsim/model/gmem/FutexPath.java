package gmemsim.model.gmem;

import gmemsim.model.Ctx;
import gmemsim.model.Msg;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/** One futex call of a task: wait for the VMM's go, or give it. */
public final class FutexPath implements Path {
  private final Task task;
  private final int futex;
  private final boolean wake;

  public FutexPath(Task task, int futex, boolean wake) {
    this.task = task;
    this.futex = futex;
    this.wake = wake;
  }

  @Override
  public String name() {
    return wake ? "futex_wake (start the vCPUs)" : "futex_wait (for the VMM's go)";
  }

  @Override
  public boolean start(Ctx ctx) {
    if (wake && task.dead()) return true; // a VMM killed by an oops never starts its vCPUs
    Msg m = wake ? new Futex.Wake() : new Futex.Wait();
    ctx.send(futex, m);
    return false;
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    return true;
  }

  @Override
  public String where() {
    return name();
  }
}
