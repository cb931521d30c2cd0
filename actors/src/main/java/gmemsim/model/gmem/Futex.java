package gmemsim.model.gmem;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Msg;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.ArrayDeque;

/**
 * A userspace futex the VMM uses to start its vCPU threads once guest memory is loaded: a waiter
 * sleeps until the word is posted; a post wakes every sleeper and lets later waiters through.
 */
public final class Futex implements Component {
  /** FUTEX_WAIT until the word is set. */
  public record Wait() implements Msg {
    public String step() {
      return "futex_wait";
    }
  }

  /** Set the word and FUTEX_WAKE every sleeper. */
  public record Wake() implements Msg {
    public String step() {
      return "futex_wake";
    }
  }

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

  @Override
  public void onMessage(Msg m, Ctx ctx) {
    if (m instanceof Wait) {
      if (posted) {
        ctx.reply(Ret.of(0));
      } else {
        sleepers.add(ctx.sender());
        if (ctx.tracing()) ctx.note(ctx.name(ctx.sender()) + " sleeps");
      }
    } else if (m instanceof Wake) {
      posted = true;
      Integer w;
      while ((w = sleepers.poll()) != null) ctx.send(w, Ret.of(0));
      ctx.reply(Ret.of(0));
    } else {
      throw new IllegalArgumentException(name + " cannot handle " + m.step());
    }
  }
}
