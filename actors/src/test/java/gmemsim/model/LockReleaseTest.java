package gmemsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.runtime.akka.WireRegistry;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every step named after an unlock is marked as a lock release, and no other: the Akka runtime
 * draws its preemption after a release (faults.preempt-unlock) over the marked steps only, so an
 * unmarked unlock would be a preemption point it never tries. Steps are the records of the wire
 * registry and every primitive's Step (its releasesLock() is the primitive's declaration).
 */
class LockReleaseTest {
  @Test
  void everyUnlockStepAndNoOtherReleasesALock() throws Exception {
    int releases = 0;
    int checked = 0;
    for (Class<?> type : WireRegistry.ids().values()) {
      if (!type.isRecord() || !Msg.class.isAssignableFrom(type)) continue;
      for (Msg m : instances(type)) {
        String step;
        try {
          step = m.step();
        } catch (RuntimeException e) {
          continue; // a step name built from a field this test left null
        }
        checked++;
        boolean unlock = step.contains("unlock");
        assertEquals(unlock, m.releasesLock(), type.getSimpleName() + " (" + step + ")");
        if (unlock) releases++;
      }
    }
    // Ret, and Step both ways: a record message added later is checked here too.
    assertTrue(checked >= 3, "checked " + checked + " steps");
    // Every lock is released by a primitive's step (the test below), none by a record of its own.
    assertEquals(0, releases, "unlock records found");
  }

  @Test
  void everyUnlockPrimitiveAndNoOtherReleasesALock() {
    List<String> unlocks = new ArrayList<>();
    for (gmemsim.model.prim.Prim p : gmemsim.model.prim.Primitives.all()) {
      Msg m = new gmemsim.model.prim.Step(p.id(), new long[p.args().size()], null, -1, false, -1);
      boolean unlock = m.step().contains("unlock") || m.step().startsWith("up_");
      assertEquals(unlock, m.releasesLock(), p.name() + " (" + p.owner().getSimpleName() + ")");
      if (unlock) unlocks.add(p.name());
    }
    // LockOwner's up_read, up_write, read_unlock, write_unlock, mutex_unlock, spin_unlock (cpa_lock
    // among them), and folio_unlock.
    assertEquals(List.of("folio_unlock", "mutex_unlock", "read_unlock", "spin_unlock", "up_read", "up_write", "write_unlock"),
        unlocks.stream().sorted().toList());
  }

  /** The record with every boolean component both ways (others zero or null). */
  private static List<Msg> instances(Class<?> type) throws Exception {
    RecordComponent[] rc = type.getRecordComponents();
    Class<?>[] params = new Class<?>[rc.length];
    List<Integer> booleans = new ArrayList<>();
    for (int i = 0; i < rc.length; i++) {
      params[i] = rc[i].getType();
      if (params[i] == boolean.class) booleans.add(i);
    }
    Constructor<?> c = type.getDeclaredConstructor(params);
    c.setAccessible(true);
    List<Msg> out = new ArrayList<>();
    for (int mask = 0; mask < 1 << Math.min(booleans.size(), 4); mask++) {
      Object[] args = new Object[rc.length];
      for (int i = 0; i < rc.length; i++) args[i] = zero(params[i]);
      for (int b = 0; b < Math.min(booleans.size(), 4); b++) args[booleans.get(b)] = (mask >> b & 1) == 1;
      try {
        out.add((Msg) c.newInstance(args));
      } catch (java.lang.reflect.InvocationTargetException e) {
        // a record whose constructor rejects zero arguments
      }
    }
    return out;
  }

  private static Object zero(Class<?> t) {
    if (t == boolean.class) return false;
    if (t == int.class) return 0;
    if (t == long.class) return 0L;
    if (t == double.class) return 0.0;
    if (t == byte.class) return (byte) 0;
    if (t == short.class) return (short) 0;
    if (t == char.class) return '\0';
    if (t == float.class) return 0f;
    return null;
  }
}
