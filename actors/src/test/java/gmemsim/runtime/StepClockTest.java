package gmemsim.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** pct-racing's clock counts only deliveries to a component another lane has reached. */
class StepClockTest {
  private static Envelope to(int component, int lane, int seq) {
    return new Envelope(Envelope.id(lane, seq), lane, component, lane, gmemsim.model.thread.ThreadProtocol.Ret.of(0));
  }

  @Test
  void aComponentOneLaneAloneReachesDoesNotCount() {
    StepClock c = StepClock.racing();
    c.reset(4);
    c.delivered(to(3, 0, 0));
    c.delivered(to(3, 0, 1));
    assertEquals(0, c.now(2));
    assertFalse(c.counts(to(3, 0, 2)));
    assertTrue(c.counts(to(3, 1, 0)), "a second lane meets the first there");
    c.delivered(to(3, 1, 0));
    assertEquals(1, c.now(3));
    assertTrue(c.counts(to(3, 0, 3)), "from then on every step there races");
    assertFalse(c.counts(to(2, 0, 4)));
    assertEquals(7, StepClock.EVERY_STEP.now(7));
  }
}
