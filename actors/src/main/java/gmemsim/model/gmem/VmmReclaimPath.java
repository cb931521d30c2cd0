package gmemsim.model.gmem;

import gmemsim.model.Ctx;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.Task;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * The VMM's balloon handler: pop an inflated index, punch it out of the guest_memfd (kernel
 * source, whose offset argument reads {@link #offset()} when it starts).
 */
public final class VmmReclaimPath extends CallingPath {
  private final Task task;
  private final int balloon;
  private final SourcePath punch;
  private boolean popped;
  private int index = -1;

  /** @param punch the fallocate(PUNCH_HOLE) of the page at {@link #offset()} */
  public VmmReclaimPath(Task task, int balloon, SourcePath punch) {
    this.task = task;
    this.balloon = balloon;
    this.punch = punch;
  }

  /** The byte offset of the index the balloon handed over. */
  public long offset() {
    return (long) index << 12;
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
    return call(punch, ctx);
  }

  @Override
  protected String here() {
    return popped ? "punch index " + index : "virtqueue_pop";
  }
}
