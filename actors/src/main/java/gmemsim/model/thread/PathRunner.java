package gmemsim.model.thread;

import gmemsim.model.Ctx;
import java.util.ArrayList;
import java.util.List;

/** Runs a list of paths one after another: what every executor (thread, CPU) does. */
public final class PathRunner {
  private final List<Path> paths;
  private int current;

  public PathRunner(List<Path> paths) {
    this.paths = new ArrayList<>(paths);
  }

  /** The paths this executor runs, in order (its program). */
  public List<Path> paths() {
    return java.util.Collections.unmodifiableList(paths);
  }

  public boolean finished() {
    return current >= paths.size();
  }

  public Path current() {
    return paths.get(current);
  }

  public void start(Ctx ctx) {
    while (current < paths.size() && paths.get(current).start(ctx)) current++;
  }

  /** Where the running path's step in flight was sent from, when it is kernel source. */
  public String[] sourceSite() {
    if (finished()) return null;
    return paths.get(current) instanceof gmemsim.model.exec.SourcePath s ? s.site() : null;
  }

  public String[][] sourceFrames() {
    if (finished()) return null;
    return paths.get(current) instanceof gmemsim.model.exec.SourcePath s ? s.frames() : null;
  }

  /** The running path and where it is, "" when every path has finished. */
  public String activity() {
    if (finished()) return "";
    Path p = paths.get(current);
    return p.name() + " at " + p.where();
  }

  /** End-of-run check of an executor: reports it if a path never finished. */
  public void reportIfStuck(String executor, Ctx ctx) {
    if (!finished()) {
      Path p = paths.get(current);
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
