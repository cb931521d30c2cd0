package gmemsim.runtime.akka;

import gmemsim.runtime.controlled.ControlledRun;
import java.util.HashMap;
import java.util.Map;

/**
 * When an Akka run may be cut as a suspected livelock. The controlled runtime declares a livelock
 * after LIVELOCK_ROUNDS retries during which every message in flight belonged to a spinning lane.
 * No actor sees every message in flight, so this watch combines what each side knows: a thread
 * knows it spins (it reports every {@link #REPORT_EVERY} retries in a row, from {@link
 * #SUSPECT_ROUNDS} on) and the coordinator can count each lane's messages sent and received on
 * every node. A run is suspect when two lane counts, with a report of every spinner between them,
 * found every other lane with nothing in flight and not a message moved in between: only the
 * spinners had work for at least REPORT_EVERY of their rounds (the other threads finished or
 * sleep). Plain Java, so tests drive it without actors; {@link RunConversation} does the messaging.
 * The log replay of the cut run is the judge: ControlledRun's own test must fire in it.
 */
final class LivelockWatch {
  /** Retries in a row before a thread first reports, and between two reports. */
  static final int SUSPECT_ROUNDS = 2 * ControlledRun.LIVELOCK_ROUNDS;

  /** Twice LIVELOCK_ROUNDS: the replay must still count that many quiet rounds between the checks. */
  static final int REPORT_EVERY = 2 * ControlledRun.LIVELOCK_ROUNDS;

  /** Per spinning thread (its component, which is its lane): reports in its current spell. */
  private final Map<Integer, Integer> reports = new HashMap<>();
  /** The lanes' sent counts when the other lanes were last found idle, and the reports then. */
  private long[] quietSent;
  private Map<Integer, Integer> quietReports = Map.of();

  /** Whether {@code retries} retries in a row make a report (the executor's side). */
  static boolean reports(int retries) {
    return retries >= SUSPECT_ROUNDS && (retries - SUSPECT_ROUNDS) % REPORT_EVERY == 0;
  }

  void spinning(int thread) {
    reports.merge(thread, 1, Integer::sum);
  }

  /** The thread did work again, or finished. */
  void stopped(int thread) {
    if (reports.remove(thread) != null) quietSent = null;
  }

  boolean anySpinning() {
    return !reports.isEmpty();
  }

  /**
   * One lane count, taken twice in a row on every node. Returns true when the run should be cut.
   *
   * @param sent0 per lane, messages sent, first round ({@code sent1}: second round)
   * @param received0 per lane, messages received, first round ({@code received1}: second round)
   */
  boolean counted(long[] sent0, long[] sent1, long[] received0, long[] received1) {
    if (reports.isEmpty()) return false;
    for (int lane = 0; lane < sent0.length; lane++) {
      if (reports.containsKey(lane)) continue;
      long s = sent0[lane];
      if (sent1[lane] != s || received0[lane] != s || received1[lane] != s) {
        quietSent = null;
        return false;
      }
    }
    if (quietSent == null || !sameOffSpinners(quietSent, sent0)) {
      quietSent = sent0.clone();
      quietReports = Map.copyOf(reports);
      return false;
    }
    for (Map.Entry<Integer, Integer> e : reports.entrySet()) {
      if (e.getValue() <= quietReports.getOrDefault(e.getKey(), 0)) return false;
    }
    return true;
  }

  /** Per-lane counts of one more component or node added to {@code sum} (null: none yet). */
  static long[] add(long[] sum, long[] more) {
    if (sum == null) return more.clone();
    for (int i = 0; i < sum.length; i++) sum[i] += more[i];
    return sum;
  }

  private boolean sameOffSpinners(long[] a, long[] b) {
    for (int lane = 0; lane < a.length; lane++) {
      if (!reports.containsKey(lane) && a[lane] != b[lane]) return false;
    }
    return true;
  }
}
