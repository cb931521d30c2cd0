package gmemsim.model.gmem;

import gmemsim.model.Ctx;
import gmemsim.model.Msg;

/** Requests to the virtio-balloon device queue between the guest and the VMM. */
public final class BalloonProtocol {
  private BalloonProtocol() {}

  public sealed interface Request extends Msg {
    void applyTo(VirtioBalloon b, Ctx ctx);
  }

  /** The guest puts the gfn (here its guest_memfd index) on the inflate queue. */
  public record Inflate(int index) implements Request {
    public String step() {
      return "virtio_balloon inflate";
    }

    public void applyTo(VirtioBalloon b, Ctx ctx) {
      b.inflate(this, ctx);
    }
  }

  /** The VMM takes the next inflated index off the queue, sleeping until there is one. */
  public record Pop() implements Request {
    public String step() {
      return "virtqueue_pop";
    }

    public void applyTo(VirtioBalloon b, Ctx ctx) {
      b.pop(ctx);
    }
  }
}
