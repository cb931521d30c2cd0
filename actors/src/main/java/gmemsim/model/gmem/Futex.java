package gmemsim.model.gmem;

import gmemsim.model.prim.StateOwner;
import gmemsim.model.Ctx;
import gmemsim.model.prim.Call;
import gmemsim.model.prim.Primitive;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.ArrayDeque;

/**
 * A userspace futex word the VMM uses to start its vCPU threads once guest memory is loaded: a
 * waiter sleeps until the word is posted; a post wakes every sleeper and lets later waiters through.
 * The word and its hash bucket's sleepers live here, so a wait's check of the word and its queueing
 * are one step, as futex_wait_setup() makes them under the bucket lock (kernel/futex/waitwake.c).
 */
public final class Futex implements StateOwner {
  private final String name;
  private final ArrayDeque<Integer> sleepers = new ArrayDeque<>();
  private boolean posted;

  public Futex(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Primitive(value = "futex_wait", args = "uaddr", ret = "void", blocks = true,
      doc = "FUTEX_WAIT until the word at uaddr is posted: returns at once when it is, else sleeps in the hash bucket"
          + " (kernel/futex/waitwake.c)")
  long futexWaitStep(Call c) {
    Ctx ctx = c.ctx();
    if (posted) return 0;
    sleepers.add(c.caller());
    if (ctx.tracing()) ctx.note(ctx.name(c.caller()) + " sleeps");
    return Call.LATER;
  }

  @Primitive(value = "futex_wake", args = "uaddr", ret = "void",
      doc = "the word at uaddr posted, then FUTEX_WAKE of every sleeper (kernel/futex/waitwake.c)")
  long futexWakeStep(Call c) {
    posted = true;
    Integer w;
    while ((w = sleepers.poll()) != null) c.ctx().send(w, Ret.of(0));
    return 0;
  }
}
