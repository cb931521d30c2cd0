package gmemsim.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CutReasonTest {
  @Test
  void mergeAddsPerReasonInTheEnumsOrderAndDropsZeros() {
    Map<String, Long> a = Map.of("unconfirmed-livelock", 2L, "step-limit", 1L);
    Map<String, Long> b = Map.of("still-moving", 3L, "step-limit", 4L);
    Map<String, Long> m = CutReason.merge(a, b);
    assertEquals(Map.of("step-limit", 5L, "still-moving", 3L, "unconfirmed-livelock", 2L), m);
    assertEquals(List.of("step-limit", "still-moving", "unconfirmed-livelock"), List.copyOf(m.keySet()));
    assertEquals(Map.of(), CutReason.merge(Map.of(), Map.of("still-moving", 0L)));
  }

  @Test
  void anUnknownKeyIsAnError() {
    assertEquals(CutReason.STILL_MOVING.meaning, CutReason.meaningOf("still-moving"));
    assertThrows(IllegalArgumentException.class, () -> CutReason.meaningOf("tired"));
  }
}
