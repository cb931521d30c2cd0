package gmemsim.model.gmem;

import gmemsim.model.Ctx;
import gmemsim.model.Msg;
import gmemsim.model.thread.Task;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/** One futex call of a task: wait until the word is posted, or post it and wake the sleepers. */
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
    return wake ? "futex_wake" : "futex_wait";
  }

  @Override
  public boolean start(Ctx ctx) {
    if (wake && task.dead()) return true; // a task killed by an oops never gets to post
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
