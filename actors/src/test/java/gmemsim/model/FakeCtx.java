package gmemsim.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** A Ctx for driving one component by hand: records what it sends, emits and notes. */
public final class FakeCtx implements Ctx {
  public record Sent(int to, Msg msg) {}

  public final List<Sent> sent = new ArrayList<>();
  public final List<Event> events = new ArrayList<>();
  public final List<String> notes = new ArrayList<>();
  private final RandomGenerator rng = new SplittableRandom(7);
  public int self;
  public int sender = 1;

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
    return "c" + component;
  }

  @Override
  public void send(int to, Msg m) {
    sent.add(new Sent(to, m));
  }

  @Override
  public RandomGenerator rng() {
    return rng;
  }

  @Override
  public void emit(Event e) {
    events.add(e);
  }

  @Override
  public boolean tracing() {
    return true;
  }

  @Override
  public void note(String change) {
    notes.add(change);
  }

  /** The value of the last reply sent. */
  public long lastValue() {
    return ((gmemsim.model.thread.ThreadProtocol.Ret) sent.get(sent.size() - 1).msg()).value();
  }
}
