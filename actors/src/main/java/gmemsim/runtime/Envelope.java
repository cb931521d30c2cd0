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

  public static int sender(long id) {
    return (int) (id >>> 32);
  }

  public static int seq(long id) {
    return (int) id;
  }
}
