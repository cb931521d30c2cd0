package gmemsim.model.thread;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Msg;
import gmemsim.model.exec.SourcePath;
import java.util.List;

/** A kernel or VMM thread: runs its paths one after another, one step in flight at a time. */
public final class HostThread implements Component {
  private final String name;
  private final PathRunner runner;

  public HostThread(String name, List<SourcePath> paths) {
    this.name = name;
    this.runner = new PathRunner(paths);
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
  public String activity() {
    return runner.activity();
  }

  @Override
  public String[][] sourceFrames() {
    return runner.sourceFrames();
  }

  @Override
  public String[] sourceSite() {
    return runner.sourceSite();
  }

  @Override
  public List<SourcePath> program() {
    return runner.paths();
  }

  @Override
  public boolean finished() {
    return runner.finished();
  }

  @Override
  public boolean interruptible() {
    return runner.finished() || runner.current().interruptible();
  }

  @Override
  public void boot(Ctx ctx) {
    runner.start(ctx);
  }

  @Override
  public void onMessage(Msg m, Ctx ctx) {
    if (!(m instanceof ThreadProtocol.Ret r)) {
      throw new IllegalArgumentException(name + " cannot handle " + m.step());
    }
    runner.onReply(r, ctx);
  }

  @Override
  public void onQuiescence(Ctx ctx) {
    runner.reportIfStuck(name, ctx);
  }
}
