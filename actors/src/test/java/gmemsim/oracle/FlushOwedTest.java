package gmemsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.BalanceEvents.CachedAtEnd;
import gmemsim.model.BalanceEvents.DirectMapAbsentAtEnd;
import gmemsim.model.BalanceEvents.EptAtEnd;
import gmemsim.model.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The end-of-run pictures of caches and page tables, from different owners, in either order. */
class FlushOwedTest {
  private static List<String> fired(Event... events) {
    UnbalancedOracle o = new UnbalancedOracle();
    List<String> out = new ArrayList<>();
    for (Event e : events) o.onEvent(e, (oracle, message, actors, objects) -> out.add(message));
    return out;
  }

  private static final CachedAtEnd VCPU =
      new CachedAtEnd("vcpu0", new int[] {0x100c00}, new int[] {1}, new long[] {0x10, 0x11}, new int[] {0x100c01, 0x100c02});
  private static final EptAtEnd EPT = new EptAtEnd("kvm", new long[] {0x10}, new int[] {0x100c01});

  @Test
  void aGuestTlbEntryTheEptNoLongerHasIsOwedAFlushWhicheverPictureComesFirst() {
    List<String> a = fired(VCPU, EPT);
    List<String> b = fired(EPT, VCPU);
    assertEquals(a, b);
    assertEquals(1, a.size(), a.toString());
    assertTrue(a.get(0).contains("gfn 0x11 -> pfn 0x100c02") && a.get(0).contains("kvm_flush_remote_tlbs() is still owed"), a.get(0));
  }

  @Test
  void aDirectMapEntryIsOwedAFlushOnlyWhileItsPageIsAbsent() {
    assertEquals(1, fired(new DirectMapAbsentAtEnd("dmap", new int[] {0x100c00}), VCPU).size());
    assertEquals(List.of(), fired(new DirectMapAbsentAtEnd("dmap", new int[] {0x100c03}), VCPU));
  }

  @Test
  void a2mEntryIsOwedAFlushForAnyAbsentPageItTranslates() {
    CachedAtEnd big = new CachedAtEnd("cpu1", new int[] {0x100e00}, new int[] {512}, new long[0], new int[0]);
    List<String> f = fired(new DirectMapAbsentAtEnd("dmap", new int[] {0x100c00, 0x100e05, 0x100e07}), big);
    assertEquals(1, f.size(), f.toString());
    assertTrue(f.get(0).contains("2M entry") && f.get(0).contains("pfn 0x100e05 and 1 more"), f.get(0));
    assertEquals(List.of(), fired(new DirectMapAbsentAtEnd("dmap", new int[] {0x101000}), big));
  }
}
