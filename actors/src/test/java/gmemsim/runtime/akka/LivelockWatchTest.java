package gmemsim.runtime.akka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When the Akka runtime cuts a run as a suspected livelock (lanes 0 and 1 spin, lane 2 is the VMM). */
class LivelockWatchTest {
  private static boolean count(LivelockWatch w, long[] sent, long[] received) {
    return w.counted(sent, sent, received, received);
  }

  @Test
  void aThreadReportsFromSuspectRoundsOnAndThenEveryReportEvery() {
    assertFalse(LivelockWatch.reports(LivelockWatch.SUSPECT_ROUNDS - 1));
    assertTrue(LivelockWatch.reports(LivelockWatch.SUSPECT_ROUNDS));
    assertFalse(LivelockWatch.reports(LivelockWatch.SUSPECT_ROUNDS + 1));
    assertTrue(LivelockWatch.reports(LivelockWatch.SUSPECT_ROUNDS + LivelockWatch.REPORT_EVERY));
  }

  @Test
  void theRunIsCutOnlyAfterTheOtherLanesStayedIdleOverAReportOfEverySpinner() {
    LivelockWatch w = new LivelockWatch();
    assertFalse(count(w, new long[] {10, 10, 5}, new long[] {9, 9, 5}), "nobody spins yet");
    w.spinning(0);
    w.spinning(1);
    assertFalse(count(w, new long[] {10, 10, 5}, new long[] {9, 9, 4}), "the VMM has a step in flight");
    assertFalse(count(w, new long[] {20, 20, 6}, new long[] {19, 19, 6}), "first time the VMM is idle: a baseline");
    w.spinning(0);
    assertFalse(count(w, new long[] {30, 30, 6}, new long[] {29, 29, 6}), "thread 1 has not gone round again");
    w.spinning(1);
    assertTrue(count(w, new long[] {40, 40, 6}, new long[] {39, 39, 6}), "idle, unmoved, both spinners reported");
  }

  @Test
  void aLaneThatMovedBetweenTheChecksStartsTheWaitAgain() {
    LivelockWatch w = new LivelockWatch();
    w.spinning(0);
    assertFalse(count(w, new long[] {10, 0, 5}, new long[] {9, 0, 5}));
    w.spinning(0);
    assertFalse(count(w, new long[] {20, 0, 7}, new long[] {19, 0, 7}), "the VMM took two steps meanwhile");
    w.spinning(0);
    assertTrue(count(w, new long[] {30, 0, 7}, new long[] {29, 0, 7}));
  }

  @Test
  void aMoveBetweenTheTwoRoundsOfOneCountIsNotIdle() {
    LivelockWatch w = new LivelockWatch();
    w.spinning(0);
    long[] s = {10, 0, 5};
    assertFalse(w.counted(s, s, s, s));
    w.spinning(0);
    assertFalse(w.counted(new long[] {20, 0, 5}, new long[] {21, 0, 6}, new long[] {19, 0, 5}, new long[] {20, 0, 5}),
        "lane 2 sent a message between the rounds");
  }

  @Test
  void aSpinnerThatDidWorkAgainClearsTheBaseline() {
    LivelockWatch w = new LivelockWatch();
    w.spinning(0);
    assertFalse(count(w, new long[] {10, 0, 5}, new long[] {9, 0, 5}));
    w.stopped(0);
    assertFalse(w.anySpinning());
    w.spinning(0);
    assertFalse(count(w, new long[] {20, 0, 5}, new long[] {19, 0, 5}), "a new spell needs its own baseline");
    w.spinning(0);
    assertTrue(count(w, new long[] {30, 0, 5}, new long[] {29, 0, 5}));
  }
}
