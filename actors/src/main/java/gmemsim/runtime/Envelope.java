package gmemsim.runtime;

import gmemsim.model.Msg;

/**
 * A message in flight. Its id is (sender, sender's sequence number): the same in every runtime,
 * since components are deterministic, so a schedule of ids replays anywhere.
 *
 * @param lane the thread of control the message belongs to (the path that caused it); strategies
 *     that prioritise threads, such as pct, schedule by lane
 */
public record Envelope(long id, int from, int to, int lane, Msg msg) {
  public static long id(int from, int seq) {
    return ((long) from << 32) | (seq & 0xffffffffL);
  }

  /**
   * The lane of a message {@code self} sends to {@code to} while handling one of lane {@code
   * current}. A reply goes to the executor that waits for it and belongs to that executor's thread
   * of control (an IPI's ack, a lock hand-off); anything else an executor sends is its own; a
   * passive owner's sends stay in the lane of what it is handling. Otherwise lanes leak from one
   * CPU to another when a CPU acks while running its own path. Both runtimes use this rule.
   *
   * @param executor whether component i runs paths of its own (threads, CPUs with kernel work)
   */
  public static int lane(Msg m, int self, int to, int current, boolean[] executor) {
    if (m instanceof gmemsim.model.thread.ThreadProtocol.Ret && executor[to]) return to;
    return executor[self] ? self : current;
  }

  /**
   * A schedule entry that is no message but the outcome k of a choice of n the model left open
   * (an exhaustive search makes them): negative, where every message id is not.
   */
  public static long choice(int n, int k) {
    return Long.MIN_VALUE | ((long) n << 32) | (k & 0xffffffffL);
  }

  public static boolean isChoice(long entry) {
    return entry < 0;
  }

  public static int choiceOf(long entry) {
    return (int) ((entry >>> 32) & 0x7fffffffL);
  }

  public static int choiceOutcome(long entry) {
    return (int) entry;
  }

  public static int sender(long id) {
    return (int) (id >>> 32);
  }

  public static int seq(long id) {
    return (int) id;
  }
}
