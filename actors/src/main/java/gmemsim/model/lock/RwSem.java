package gmemsim.model.lock;

import gmemsim.model.Ctx;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A sleeping lock held across several steps of a path (an rw_semaphore, a fair rwlock_t, or a
 * mutex used only for write): acquire and release are messages to the component that owns it,
 * waiters queue in arrival order, and a release hands the lock on in that order (one writer, or
 * every reader up to the next writer). Not recursive: a holder that asks again waits for itself,
 * as down_read() after down_write() does. Reports every acquire, wait and release as
 * {@link LockEvents} so the deadlock oracle can build the wait-for graph.
 */
public final class RwSem {
  private record Waiter(int who, boolean write) {}

  private final String name;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final List<Integer> holders = new ArrayList<>();
  private boolean writer;

  public RwSem(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public boolean heldForWrite() {
    return writer;
  }

  public int readers() {
    return writer ? 0 : holders.size();
  }

  /** down_write()/down_read() by the sender: replies once held (now, or at a later release). */
  public void acquire(boolean write, Ctx ctx) {
    int who = ctx.sender();
    if (waiters.isEmpty() && free(write)) {
      grant(who, write, ctx);
      if (ctx.tracing()) ctx.note(name + (write ? " held for write" : " held shared (" + holders.size() + ")"));
      ctx.reply(Ret.of(0));
    } else {
      waiters.add(new Waiter(who, write));
      ctx.emit(new LockEvents.Waits(name, ctx.name(who)));
      if (ctx.tracing()) ctx.note(name + " contended: " + ctx.name(who) + " sleeps");
    }
  }

  /** down_write_trylock()/down_read_trylock(): replies 1 when held now, 0 without waiting. */
  public void tryAcquire(boolean write, Ctx ctx) {
    int who = ctx.sender();
    boolean ok = waiters.isEmpty() && free(write);
    if (ok) grant(who, write, ctx);
    if (ctx.tracing()) ctx.note(name + (ok ? (write ? " held for write" : " held shared") : " contended: trylock fails"));
    ctx.reply(Ret.of(ok ? 1 : 0));
  }

  /** up_write()/up_read() by the sender, then the hand-off; replies to the releaser. */
  public void release(boolean write, Ctx ctx) {
    int who = ctx.sender();
    if (!holders.remove((Integer) who) || write != writer) {
      throw new IllegalStateException(ctx.name(who) + " releases " + name + " it does not hold" + (write ? " for write" : ""));
    }
    if (write) writer = false;
    ctx.emit(new LockEvents.Released(name, ctx.name(who)));
    while (!waiters.isEmpty()) {
      Waiter w = waiters.peek();
      if (!free(w.write())) break;
      waiters.poll();
      grant(w.who(), w.write(), ctx);
      if (ctx.tracing()) ctx.note(name + " handed to " + ctx.name(w.who()));
      ctx.send(w.who(), Ret.of(0));
      if (w.write()) break;
    }
    ctx.reply(Ret.of(0));
  }

  /** At the end of a run: a hold nobody released is reported (the unbalanced oracle). */
  public void reportIfHeld(String owner, Ctx ctx) {
    if (holders.isEmpty()) return;
    List<String> who = holders.stream().map(ctx::name).toList();
    ctx.emit(new gmemsim.model.BalanceEvents.LeftUnbalanced(owner, name + " is still held" + (writer ? " for write" : " shared")
        + " by " + String.join(", ", who) + " when the run ends", who, List.of(name)));
  }

  private boolean free(boolean write) {
    return write ? !writer && holders.isEmpty() : !writer;
  }

  private void grant(int who, boolean write, Ctx ctx) {
    if (write) writer = true;
    holders.add(who);
    ctx.emit(new LockEvents.Acquired(name, ctx.name(who)));
  }
}
