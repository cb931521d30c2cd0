package gmemsim.oracle;

import static gmemsim.model.Describe.hex;

import gmemsim.model.BalanceEvents.CachedAtEnd;
import gmemsim.model.BalanceEvents.DirectMapAbsentAtEnd;
import gmemsim.model.BalanceEvents.EptAtEnd;
import gmemsim.model.BalanceEvents.LeftUnbalanced;
import gmemsim.model.Event;
import gmemsim.model.dmap.Addr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code unbalanced}: a run ended with something the kernel requires to be paired left open. A
 * run can look clean while an invalidate_begin never met its invalidate_end (in_progress stays
 * raised, so every later fault in the range retries for ever), a lock is still held by a path that
 * finished, a function returned with interrupts off, or a flush is still owed: a CPU still caches
 * a direct-map translation whose entry is gone, or a guest TLB a gfn the EPT no longer maps there,
 * so a later access (a speculative one included) could use it. Reads only the events the owners
 * emit at quiescence and at a path's return; the end-of-run pictures of the caches and of the page
 * tables come from different owners, in either order, and each pair is compared once.
 */
public final class UnbalancedOracle implements Oracle {
  public static final String NAME = "unbalanced";

  private final List<CachedAtEnd> cached = new ArrayList<>();
  private Set<Integer> absent;
  private Map<Long, Integer> ept;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(CachedAtEnd.class, DirectMapAbsentAtEnd.class, EptAtEnd.class, LeftUnbalanced.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof LeftUnbalanced u) {
      sink.fire(NAME, u.owner() + ": " + u.what(), u.actors(), u.objects());
    } else if (e instanceof CachedAtEnd c) {
      cached.add(c);
      if (absent != null) directMap(c, sink);
      if (ept != null) guest(c, sink);
    } else if (e instanceof DirectMapAbsentAtEnd d) {
      absent = new HashSet<>();
      for (int pfn : d.pfns()) absent.add(pfn);
      for (CachedAtEnd c : cached) directMap(c, sink);
    } else if (e instanceof EptAtEnd m) {
      ept = new HashMap<>();
      for (int i = 0; i < m.gfns().length; i++) ept.put(m.gfns()[i], m.pfns()[i]);
      for (CachedAtEnd c : cached) guest(c, sink);
    }
  }

  private void directMap(CachedAtEnd c, Sink sink) {
    for (int i = 0; i < c.directMapPfns().length; i++) {
      int first = c.directMapPfns()[i];
      int nr = c.directMapPages()[i];
      if (nr == 1) {
        if (!absent.contains(first)) continue;
        sink.fire(NAME, c.cpu() + "'s TLB still caches " + Addr.hexVa(Addr.pageAddress(first)) + " (pfn " + hex(first)
                + ") when the run ends, and the direct map no longer maps it: a flush_tlb_kernel_range() of it is still owed",
            List.of(c.cpu()), List.of(hex(first)));
        continue;
      }
      // A large entry translates every page of its leaf: the pages of it no longer mapped.
      int[] gone = absent.stream().mapToInt(Integer::intValue).filter(p -> p >= first && p < first + nr).sorted().toArray();
      if (gone.length == 0) continue;
      sink.fire(NAME, c.cpu() + "'s TLB still caches the " + (nr == 512 ? "2M" : "1G") + " entry at "
              + Addr.hexVa(Addr.pageAddress(first)) + ", which translates " + Addr.hexVa(Addr.pageAddress(gone[0]))
              + " (pfn " + hex(gone[0]) + (gone.length > 1 ? " and " + (gone.length - 1) + " more" : "")
              + ") when the run ends, and the direct map no longer maps it: a flush_tlb_kernel_range() of it is still owed",
          List.of(c.cpu()), List.of(hex(gone[0])));
    }
  }

  private void guest(CachedAtEnd c, Sink sink) {
    for (int i = 0; i < c.guestGfns().length; i++) {
      long gfn = c.guestGfns()[i];
      int pfn = c.guestPfns()[i];
      Integer now = ept.get(gfn);
      if (now != null && now == pfn) continue;
      sink.fire(NAME, c.cpu() + "'s guest TLB still caches gfn " + hex(gfn) + " -> pfn " + hex(pfn)
              + " when the run ends, and the EPT " + (now == null ? "no longer maps the gfn" : "maps it to " + hex(now))
              + ": a kvm_flush_remote_tlbs() is still owed",
          List.of(c.cpu()), List.of(hex(gfn), hex(pfn)));
    }
  }
}
