package gmemsim.model.gmem;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Msg;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.ArrayDeque;

/**
 * The inflate queue of a virtio-balloon device: the guest gives pages back, the VMM pops them and
 * punches them out of guest_memfd. It orders the two sides the way the device does, so the VMM
 * never frees a page the guest still uses.
 */
public final class VirtioBalloon implements Component {
  private final String name;
  private final ArrayDeque<Integer> queued = new ArrayDeque<>();
  private final ArrayDeque<Integer> waiters = new ArrayDeque<>();

  public VirtioBalloon(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void onMessage(Msg m, Ctx ctx) {
    if (!(m instanceof BalloonProtocol.Request r)) {
      throw new IllegalArgumentException(name + " cannot handle " + m.step());
    }
    r.applyTo(this, ctx);
  }

  void inflate(BalloonProtocol.Inflate r, Ctx ctx) {
    Integer w = waiters.poll();
    if (w != null) {
      if (ctx.tracing()) ctx.note("index " + r.index() + " handed to " + ctx.name(w));
      ctx.send(w, Ret.of(r.index()));
    } else {
      queued.add(r.index());
      if (ctx.tracing()) ctx.note("index " + r.index() + " queued");
    }
    ctx.reply(Ret.of(0));
  }

  void pop(Ctx ctx) {
    Integer i = queued.poll();
    if (i != null) {
      if (ctx.tracing()) ctx.note("index " + i);
      ctx.reply(Ret.of(i));
    } else {
      waiters.add(ctx.sender());
      if (ctx.tracing()) ctx.note("empty: " + ctx.name(ctx.sender()) + " waits");
    }
  }
}
