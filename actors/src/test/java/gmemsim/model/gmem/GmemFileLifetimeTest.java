package gmemsim.model.gmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.FakeCtx;
import gmemsim.model.KernelEvents;
import gmemsim.model.prim.Handles;
import gmemsim.model.prim.Primitives;
import gmemsim.model.prim.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guest_memfd's struct file as file_ref counts it, and its use after file_free(). */
class GmemFileLifetimeTest {
  private static final long FILE = Handles.of(0);

  private static long step(GmemInode f, FakeCtx c, String p, long... args) {
    f.onMessage(new Step(Primitives.byName(p).id(), args, null, -1, false, -1), c);
    return c.lastValue();
  }

  private static List<KernelEvents.ObjectUseAfterFree> uses(FakeCtx c) {
    return c.events.stream().filter(e -> e instanceof KernelEvents.ObjectUseAfterFree)
        .map(e -> (KernelEvents.ObjectUseAfterFree) e).toList();
  }

  @Test
  void aReleasedFileStaysReleasedAndOnlyGetFileActiveMayReachItOnceFreed() {
    GmemInode f = new GmemInode("gmem0", 1, 4, 0);
    FakeCtx c = new FakeCtx();
    assertEquals(0, step(f, c, "file_ref_fetch_inc", FILE), "one reference before: file_ref's count is references - 1");
    assertEquals(1, step(f, c, "fput_count", FILE));
    assertEquals(0, step(f, c, "fput_count", FILE), "the last put releases the file");
    assertEquals(-1, step(f, c, "file_ref_fetch_inc", FILE), "an increment of a released file lands in the dead zone");
    assertEquals(0, step(f, c, "get_file_active", FILE), "and revives nothing");
    assertEquals(-1, step(f, c, "fput_count", FILE), "a put on a released file releases nothing again");
    assertTrue(uses(c).isEmpty(), "no use after free before file_free(): " + uses(c));
    step(f, c, "file_free", FILE);
    assertEquals(0, step(f, c, "get_file_active", FILE));
    assertTrue(uses(c).isEmpty(), "get_file_active() may reach a freed file (SLAB_TYPESAFE_BY_RCU): " + uses(c));
    step(f, c, "xas_load", FILE, 0);
    assertEquals(List.of(new KernelEvents.ObjectUseAfterFree("c1", "struct file gmem0 (and its inode)", "xas_load")), uses(c));
  }
}
