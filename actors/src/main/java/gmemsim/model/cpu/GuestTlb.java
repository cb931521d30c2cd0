package gmemsim.model.cpu;

import java.util.HashMap;
import java.util.Map;

/**
 * The guest-physical translations a CPU caches while it runs a vCPU (EPT-derived entries tagged
 * by EPTP/VPID), per 4K gfn. Only KVM's TLB flush request empties it: no flush, no forgetting.
 * The allocation generation of each page is kept beside it as ghost state for the oracles.
 */
public final class GuestTlb {
  /** A cached translation: the pfn and, as ghost, the page's generation when it was mapped. */
  public record Entry(int pfn, long gen) {}

  private final Map<Long, Entry> entries = new HashMap<>();

  public Entry lookup(long gfn) {
    return entries.get(gfn);
  }

  public void fill(long gfn, int pfn, long gen) {
    entries.put(gfn, new Entry(pfn, gen));
  }

  /** The cached gfns that translate to this pfn (ghost, for reports). */
  public java.util.List<Long> gfnsOf(int pfn) {
    return entries.entrySet().stream()
        .filter(e -> e.getValue().pfn() == pfn)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The cached gfns in order, and the pfn of each (ghost, for the end-of-run check). */
  public long[] gfns() {
    return entries.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
  }

  public int[] pfnsOf(long[] gfns) {
    int[] out = new int[gfns.length];
    for (int i = 0; i < gfns.length; i++) out[i] = entries.get(gfns[i]).pfn();
    return out;
  }

  /** Every entry goes (INVEPT single-context on this CPU); returns how many. */
  public int flush() {
    int n = entries.size();
    entries.clear();
    return n;
  }
}
