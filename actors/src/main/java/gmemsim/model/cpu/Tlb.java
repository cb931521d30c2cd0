package gmemsim.model.cpu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One CPU's TLB for kernel direct-map addresses. Direct-map entries are global: they survive
 * CR3 switches, so only a flush (an IPI handled on this CPU) or capacity eviction removes them.
 * x86 never caches a non-present translation, so only successful walks fill it.
 */
public final class Tlb {
  private final int capacity;
  private final LinkedHashMap<Long, Integer> entries;

  public Tlb(int capacity) {
    this.capacity = capacity;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
            return size() > Tlb.this.capacity;
          }
        };
  }

  /** The cached pfn of a page-aligned kernel VA, or -1 on a miss. */
  public int lookup(long va) {
    Integer pfn = entries.get(va);
    return pfn == null ? -1 : pfn;
  }

  public void fill(long va, int pfn) {
    entries.put(va, pfn);
  }

  /** INVLPG over [start, end), or every entry (a full flush, global ones included). */
  public int flush(long start, long end, boolean full) {
    int before = entries.size();
    if (full) entries.clear();
    else entries.keySet().removeIf(va -> va >= start && va < end);
    return before - entries.size();
  }

  public int size() {
    return entries.size();
  }

  /** The pfns of every cached entry (ghost, for the end-of-run check). */
  public int[] pfns() {
    return entries.values().stream().mapToInt(Integer::intValue).toArray();
  }
}
