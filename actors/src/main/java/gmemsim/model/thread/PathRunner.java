package gmemsim.model.thread;

import gmemsim.model.Ctx;
import gmemsim.model.exec.SourcePath;
import java.util.ArrayList;
import java.util.List;

/**
 * An executor's program as userspace runs it: its system calls (or a kernel thread's functions)
 * one after another, each a path of kernel source. It keeps only which call is running: every
 * step, lock and wait is the running path's.
 */
public final class PathRunner {
  private final List<SourcePath> paths;
  private int current;

  public PathRunner(List<SourcePath> paths) {
    this.paths = new ArrayList<>(paths);
  }

  /** The paths this executor runs, in order (its program). */
  public List<SourcePath> paths() {
    return java.util.Collections.unmodifiableList(paths);
  }

  public boolean finished() {
    return current >= paths.size();
  }

  public SourcePath current() {
    return paths.get(current);
  }

  public void start(Ctx ctx) {
    while (current < paths.size() && paths.get(current).start(ctx)) current++;
  }

  /** Where the running path's step in flight was sent from. */
  public String[] sourceSite() {
    return finished() ? null : paths.get(current).site();
  }

  public String[][] sourceFrames() {
    return finished() ? null : paths.get(current).frames();
  }

  /** The running path and where it is, "" when every path has finished. */
  public String activity() {
    if (finished()) return "";
    SourcePath p = paths.get(current);
    return p.name() + " at " + p.where();
  }

  /** End-of-run check of an executor: reports it if a path never finished. */
  public void reportIfStuck(String executor, Ctx ctx) {
    if (!finished()) {
      SourcePath p = paths.get(current);
      ctx.emit(new ExecutorStuck(executor, p.name(), p.where()));
    }
  }

  /** Hands the result of the last step to the current path; starts the next path when done. */
  public void onReply(ThreadProtocol.Ret r, Ctx ctx) {
    if (finished()) throw new IllegalStateException("a reply after every path finished");
    if (paths.get(current).onReply(r, ctx)) {
      current++;
      start(ctx);
    }
  }
}
