package gmemsim.model.program;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * The part of a system call that checks its arguments against what cannot change under it (the
 * file's flags and size are fixed at creation; the call's own arguments): it touches no shared
 * state, so it is no step of its own, only its result and a line in the trace.
 */
public final class ResultPath implements Path {
  private final String name;
  private final int result;
  private final String why;

  /** @param why the rule, with the upstream function it comes from */
  public ResultPath(String name, int result, String why) {
    this.name = name;
    this.result = result;
    this.why = why;
  }

  public int result() {
    return result;
  }

  public Call call() {
    return new Call(this, this::result);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean start(Ctx ctx) {
    if (ctx.tracing()) ctx.note(name + " returns " + Errno.name(result) + ": " + why);
    return true;
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    throw new IllegalStateException(name + " sends nothing");
  }

  @Override
  public String where() {
    return "argument checks";
  }
}
