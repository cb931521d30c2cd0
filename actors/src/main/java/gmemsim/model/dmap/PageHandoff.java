package gmemsim.model.dmap;

import gmemsim.model.prim.StateOwner;
import gmemsim.model.prim.Call;
import gmemsim.model.prim.Primitive;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * Seed 001's hand-off of one guest page from the zapper to the guest (model only): upstream it is
 * kvm_gmem_get_pfn() returning to the vCPU's fault, which then maps the page; here the zapper and
 * the guest are two actors, so the fault's return value (the page, or the zap's error) goes
 * through this object. Each publish is taken by one wait, in order (a program may hand the same
 * page over more than once).
 */
public final class PageHandoff implements StateOwner {
  private final String name;
  private final java.util.ArrayDeque<Long> values = new java.util.ArrayDeque<>();
  private final java.util.ArrayDeque<Integer> waiters = new java.util.ArrayDeque<>();

  public PageHandoff(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Primitive(value = "__handoff_publish", args = {"handoff", "value"}, ret = "void",
      doc = "model: the zapper's kvm_gmem_get_pfn() returns to the guest's fault: value is the page, or the zap's error;"
          + " wakes the guest if it waits")
  long publishStep(Call c) {
    long value = c.arg(1);
    if (c.ctx().tracing()) c.ctx().note(value < 0 ? "the fault returns " + value : "hands the page to the guest");
    Integer w = waiters.poll();
    if (w != null) c.ctx().send(w, Ret.of(value));
    else values.add(value);
    return 0;
  }

  @Primitive(value = "__handoff_wait", args = "handoff", ret = "long", blocks = true,
      doc = "model: the guest's fault waits for the zapper's return value (the page, or an error)")
  long waitStep(Call c) {
    Long v = values.poll();
    if (v != null) return v;
    waiters.add(c.caller());
    if (c.ctx().tracing()) c.ctx().note(c.callerName() + " waits for the page");
    return Call.LATER;
  }
}
