package gmemsim.model.prim;

import gmemsim.model.Ctx;

/**
 * What a primitive's body sees of its call: the arguments, their ghosts, the caller, and the
 * context of the delivery. One instance per dispatcher, reset for every step (no allocation).
 */
public final class Call {
  /** Returned by a body that answers later (ctx.send to the waiter once it may go on). */
  public static final long LATER = Long.MIN_VALUE;

  private long[] args;
  private long[] ghosts;
  private Ctx ctx;
  private int caller;
  private long replyGhost;
  private Prim prim;
  private int holder;

  /** A Call for a runtime to reuse ({@code Ctx.scratchCall()}). */
  public static Call scratch() {
    return new Call();
  }

  void reset(Prim prim, long[] args, long[] ghosts, Ctx ctx, int caller, int holder) {
    this.holder = holder;
    this.prim = prim;
    this.args = args;
    this.ghosts = ghosts;
    this.ctx = ctx;
    this.caller = caller;
    this.replyGhost = 0;
  }

  public long arg(int i) {
    return args[i];
  }

  /** Every argument (a copy: the step that keeps them may outlive this call). */
  public long[] argsCopy() {
    return args.clone();
  }

  /** Argument i as a page frame number (struct page and folio arguments are frames). */
  public int pfn(int i) {
    return (int) args[i];
  }

  /** The ghost of argument i (what the caller believes of it), 0 when the step reads none. */
  public long ghost(int i) {
    return ghosts == null ? 0 : ghosts[i];
  }

  public Ctx ctx() {
    return ctx;
  }

  /** The component that made the call (the executor, for a step running inline on itself). */
  public int caller() {
    return caller;
  }

  /** The caller's name: who holds a reference in the ghost ledger, who waits for a lock. */
  public String callerName() {
    return ctx.name(caller);
  }

  /**
   * Whose references the step moves in the ghost ledger: the caller's own, or those of the object
   * the caller named with __ghost_holder() (the page cache's, dropped by whoever truncates).
   */
  public String holderName() {
    return ctx.name(holder >= 0 ? holder : caller);
  }

  /** The second value of the reply: a ghost the caller keeps, or the value of an out argument. */
  public void ghost(long g) {
    replyGhost = g;
  }

  long replyGhost() {
    return replyGhost;
  }

  public String kernelName() {
    return prim.name();
  }
}
