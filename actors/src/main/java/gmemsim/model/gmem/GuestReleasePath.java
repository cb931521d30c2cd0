package gmemsim.model.gmem;

import gmemsim.model.Ctx;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.PageTag;
import gmemsim.model.thread.Task;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * The guest gives a page back through the balloon: it scrubs the page first when it was told to
 * (init_on_free in the guest), then inflates. Without the scrub its private data stays in the page
 * after the VMM frees it.
 */
public final class GuestReleasePath extends CallingPath {
  private enum Pc {
    SCRUB,
    INFLATE,
    DONE
  }

  private final GmemEnv env;
  private final Task task;
  private final int index;
  private final int balloon;
  private final boolean scrub;
  private Pc pc;

  public GuestReleasePath(GmemEnv env, Task task, int index, int balloon, boolean scrub) {
    this.env = env;
    this.task = task;
    this.index = index;
    this.balloon = balloon;
    this.scrub = scrub;
  }

  @Override
  public String name() {
    return "guest balloon inflate";
  }

  @Override
  protected boolean begin(Ctx ctx) {
    if (task.dead()) return done();
    Task.Mapped m = task.mapped(index);
    if (scrub && m != null) {
      pc = Pc.SCRUB;
      ctx.send(env.memoryFor(m.pfn()), new MemoryProtocol.PageWrite(m.pfn(), m.folio(), m.gen(), PageTag.NONE, "guest"));
      return false;
    }
    return inflate(ctx);
  }

  private boolean inflate(Ctx ctx) {
    pc = Pc.INFLATE;
    ctx.send(balloon, new BalloonProtocol.Inflate(index));
    return false;
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    if (pc == Pc.SCRUB) return inflate(ctx);
    return done();
  }

  private boolean done() {
    pc = Pc.DONE;
    return true;
  }

  @Override
  protected String here() {
    return pc + " index " + index;
  }
}
