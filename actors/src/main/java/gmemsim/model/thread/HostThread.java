package gmemsim.model.thread;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Msg;
import java.util.ArrayList;
import java.util.List;

/** A kernel or VMM thread: runs its paths one after another, one step in flight at a time. */
public final class HostThread implements Component {
  private final String name;
  private final List<Path> paths;
  private int current;

  public HostThread(String name, List<Path> paths) {
    this.name = name;
    this.paths = new ArrayList<>(paths);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isThread() {
    return true;
  }

  @Override
  public boolean finished() {
    return current >= paths.size();
  }

  @Override
  public boolean interruptible() {
    return finished() || paths.get(current).interruptible();
  }

  @Override
  public void boot(Ctx ctx) {
    startFrom(ctx);
  }

  @Override
  public void onMessage(Msg m, Ctx ctx) {
    if (!(m instanceof ThreadProtocol.Ret r)) {
      throw new IllegalArgumentException(name + " cannot handle " + m.step());
    }
    if (finished()) throw new IllegalStateException(name + " got a reply after finishing");
    if (paths.get(current).onReply(r, ctx)) {
      current++;
      startFrom(ctx);
    }
  }

  private void startFrom(Ctx ctx) {
    while (current < paths.size() && paths.get(current).start(ctx)) current++;
  }

  @Override
  public void onQuiescence(Ctx ctx) {
    if (!finished()) {
      Path p = paths.get(current);
      ctx.emit(new ThreadStuck(name, p.name(), p.where()));
    }
  }

  /** A thread still had work when no message was left in flight: nothing will wake it. */
  public record ThreadStuck(String thread, String path, String where) implements gmemsim.model.Event {}
}
