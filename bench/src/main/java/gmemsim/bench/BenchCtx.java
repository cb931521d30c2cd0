package gmemsim.bench;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Event;
import gmemsim.model.Msg;
import gmemsim.model.prim.Primitives;
import gmemsim.model.prim.Step;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The least a component needs to handle a message outside any runtime, so the per-component
 * benchmarks measure the handler and nothing else: no pool, no strategy, no oracles, no trace
 * ({@link #tracing()} is false, as in a hunt). Sends and ghost events are dropped, but the last
 * of each is kept in a field (and sends are counted), so the JIT cannot discard the reply or
 * event a handler builds (a runtime would enqueue it) and a benchmark can check in its set-up
 * that a handler really replied.
 */
public final class BenchCtx implements Ctx {
  private final int self;
  private final String[] names;
  private final RandomGenerator rng = new SplittableRandom(1);
  private int sender;

  /** The last message sent and the last event emitted; the benchmarks return them. */
  public Msg lastSent;
  public Event lastEvent;
  public long sends;

  /** @param names the name of each component index; index {@code self} is the one under test */
  public BenchCtx(int self, String... names) {
    this.self = self;
    this.names = names.clone();
  }

  /** The message a kernel path sends for one call of {@code primitive} with these arguments. */
  public static Msg step(String primitive, long... args) {
    return new Step(Primitives.byName(primitive).id(), args, null, -1, false, -1);
  }

  /** Who sends the next messages (a path's thread or CPU, for the ghost ledger and the locks). */
  public BenchCtx from(int sender) {
    this.sender = sender;
    return this;
  }

  @Override
  public int self() {
    return self;
  }

  @Override
  public int sender() {
    return sender;
  }

  @Override
  public String name(int component) {
    return names[component];
  }

  @Override
  public void send(int to, Msg m) {
    lastSent = m;
    sends++;
  }

  @Override
  public RandomGenerator rng() {
    return rng;
  }

  @Override
  public void emit(Event e) {
    lastEvent = e;
  }

  @Override
  public boolean tracing() {
    return false;
  }

  @Override
  public void note(String change) {}

  /**
   * Delivers the messages of one benchmark op to the component in turn and returns the last
   * reply (which the benchmark hands to JMH). Fixed arities, so no varargs array is allocated
   * inside the measured op.
   */
  public Msg handle(Component c, Msg m) {
    c.onMessage(m, this);
    return lastSent;
  }

  public Msg handle(Component c, Msg m1, Msg m2) {
    c.onMessage(m1, this);
    c.onMessage(m2, this);
    return lastSent;
  }

  public Msg handle(Component c, Msg m1, Msg m2, Msg m3) {
    c.onMessage(m1, this);
    c.onMessage(m2, this);
    c.onMessage(m3, this);
    return lastSent;
  }

  /** The value of the last reply, for set-up checks. */
  public long lastValue() {
    return ((Ret) lastSent).value();
  }
}
