package gmemsim.model.thread;

import gmemsim.model.Ctx;
import gmemsim.model.Msg;
import java.util.List;

/**
 * A path whose steps do not depend on earlier results: it sends a fixed list of requests, one
 * after the other, each once the previous one has returned (e.g. a teardown that puts every
 * folio it holds).
 */
public final class StepListPath implements Path {
  /** One request and the component that owns the state it touches. */
  public record Step(int to, Msg msg) {}

  private final String name;
  private final List<Step> steps;
  private int next;

  public StepListPath(String name, List<Step> steps) {
    this.name = name;
    this.steps = List.copyOf(steps);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean start(Ctx ctx) {
    next = 0;
    return sendNext(ctx);
  }

  @Override
  public boolean onReply(ThreadProtocol.Ret r, Ctx ctx) {
    return sendNext(ctx);
  }

  private boolean sendNext(Ctx ctx) {
    if (next >= steps.size()) return true;
    Step s = steps.get(next++);
    ctx.send(s.to(), s.msg());
    return false;
  }

  @Override
  public String where() {
    return next == 0 ? "start" : steps.get(next - 1).msg().describe();
  }
}
