package gmemsim.model.thread;

import gmemsim.model.Ctx;
import gmemsim.model.Msg;

/**
 * A calling path whose program counter is an enum: what most paths are. {@link #request} sends
 * one step to the owner of the state it touches and moves the counter to where its reply is
 * handled; {@link #callAt} does the same for a helper path.
 *
 * @param <P> the program counter
 */
public abstract class PcPath<P extends Enum<P>> extends CallingPath {
  protected P pc;

  /** Sends m to component to; its reply is handled at next. Returns what a step returns. */
  protected final boolean request(Ctx ctx, P next, int to, Msg m) {
    pc = next;
    ctx.send(to, m);
    return false;
  }

  /** Calls p; {@link #step} runs at next (with a null reply) when it returns. */
  protected final boolean callAt(Ctx ctx, P next, Path p) {
    pc = next;
    return call(p, ctx);
  }

  @Override
  public final Enum<?> programPoint() {
    return pc;
  }

  /** Ends the path at its final counter value. */
  protected final boolean finishAt(P last) {
    pc = last;
    return true;
  }
}
