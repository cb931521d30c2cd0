package gmemsim.model.gmem;

import gmemsim.model.prim.StateOwner;
import gmemsim.model.Ctx;
import gmemsim.model.prim.Call;
import gmemsim.model.prim.Primitive;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.ArrayDeque;

/**
 * The inflate queue of a virtio-balloon device: the guest gives pages back, the VMM pops them and
 * punches them out of guest_memfd. It orders the two sides the way the device does, so the VMM
 * never frees a page before the guest handed it over.
 */
public final class VirtioBalloon implements StateOwner {
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

  @Primitive(value = "virtio_balloon_inflate", args = {"vb", "index"}, ret = "void", objects = "index",
      doc = "the guest's tell_host() of one page (here its guest_memfd index) on the inflate virtqueue; a VMM waiting in"
          + " virtqueue_pop() takes it at once (drivers/virtio/virtio_balloon.c)")
  long inflateStep(Call c) {
    Ctx ctx = c.ctx();
    int index = (int) c.arg(1);
    Integer w = waiters.poll();
    if (w != null) {
      if (ctx.tracing()) ctx.note("index " + index + " handed to " + ctx.name(w));
      ctx.send(w, Ret.of(index));
    } else {
      queued.add(index);
      if (ctx.tracing()) ctx.note("index " + index + " queued");
    }
    return 0;
  }

  @Primitive(value = "virtqueue_pop", args = "vb", ret = "long", blocks = true,
      doc = "the VMM's device model takes the next index off the inflate queue, sleeping until the guest adds one")
  long popStep(Call c) {
    Ctx ctx = c.ctx();
    Integer i = queued.poll();
    if (i != null) {
      if (ctx.tracing()) ctx.note("index " + i);
      return i;
    }
    waiters.add(c.caller());
    if (ctx.tracing()) ctx.note("empty: " + ctx.name(c.caller()) + " waits");
    return Call.LATER;
  }
}
