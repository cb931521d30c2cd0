package gmemsim.model.thread;

import gmemsim.model.Ctx;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * A path that calls other paths as functions, as kernel code calls helpers: while a callee runs,
 * replies go to it; when it returns, {@link #step} runs again with a null reply and reads the
 * callee's result from the callee. Subclasses keep their own program counter.
 */
public abstract class CallingPath implements Path {
  private Path callee;

  @Override
  public final boolean start(Ctx ctx) {
    callee = null;
    Enum<?> at = programPoint();
    if (at != null) ctx.reached(this, at);
    if (!begin(ctx)) return false;
    Enum<?> end = programPoint();
    if (end != null && end != at) ctx.reached(this, end);
    return true;
  }

  @Override
  public final boolean onReply(Ret r, Ctx ctx) {
    if (callee != null) {
      if (!callee.onReply(r, ctx)) return false;
      callee = null;
      return stepAt(null, ctx);
    }
    return stepAt(r, ctx);
  }

  /** Runs {@link #step} at the current program point, which coverage counts as reached. */
  private boolean stepAt(Ret r, Ctx ctx) {
    Enum<?> at = programPoint();
    if (at != null) ctx.reached(this, at);
    if (!step(r, ctx)) return false;
    Enum<?> end = programPoint();
    if (end != null && end != at) ctx.reached(this, end);
    return true;
  }

  /** Starts the path: sends a first request, calls a helper, or returns true if done. */
  protected abstract boolean begin(Ctx ctx);

  /**
   * Continues after the reply {@code r} to this path's own request, or after a call returned
   * ({@code r} null). Sends the next request, calls, or returns true when the path is done.
   */
  protected abstract boolean step(Ret r, Ctx ctx);

  /** Calls {@code p}; returns what the calling step must return. */
  protected final boolean call(Path p, Ctx ctx) {
    if (p.start(ctx)) return stepAt(null, ctx);
    callee = p;
    return false;
  }

  /** Where this path itself is (its program counter), without the callee. */
  protected abstract String here();

  @Override
  public final String where() {
    return callee == null ? here() : here() + " > " + callee.name() + " " + callee.where();
  }

  @Override
  public boolean inInstruction() {
    return callee != null && callee.inInstruction();
  }

  @Override
  public boolean replyEndsInstruction(Ret r) {
    return callee == null || callee.replyEndsInstruction(r);
  }

  @Override
  public boolean interruptible() {
    return callee == null || callee.interruptible();
  }
}
