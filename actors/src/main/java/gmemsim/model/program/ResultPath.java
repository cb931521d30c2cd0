package gmemsim.model.program;

import gmemsim.model.Ctx;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * A system call's result worked out before the machine exists (create and bind, whose checks in
 * kernel source decide whether the file and the memslot exist at all): no step of its own, only
 * its result and a line in the trace.
 */
public final class ResultPath implements Path {
  private final String name;
  private final int result;
  private final String note;

  /** @param note the trace line: what the call did, or where in kernel source its error began */
  public ResultPath(String name, int result, String note) {
    this.name = name;
    this.result = result;
    this.note = note;
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
    if (ctx.tracing()) ctx.note(note);
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
