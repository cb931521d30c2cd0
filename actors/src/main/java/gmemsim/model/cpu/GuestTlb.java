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

  /** Every entry goes (INVEPT single-context on this CPU); returns how many. */
  public int flush() {
    int n = entries.size();
    entries.clear();
    return n;
  }
}
