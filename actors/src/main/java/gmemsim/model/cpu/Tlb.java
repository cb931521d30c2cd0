package gmemsim.model.cpu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One CPU's TLB for kernel direct-map addresses. Direct-map entries are global: they survive
 * CR3 switches, so only a flush (an IPI handled on this CPU) or capacity eviction removes them.
 * x86 never caches a non-present translation, so only successful walks fill it.
 *
 * <p>An entry has the size of the leaf the walk went through (SDM vol. 3 §4.10.2: a walk that ends
 * at a 2M PDE caches one translation of the whole 2M page, or of 4K pieces of it, at the CPU's
 * choice; the model takes the 2M one, the case that keeps the most). So a load of one page of a 2M
 * leaf makes every page of that leaf translatable, and INVLPG of any address in it removes it all
 * (§4.10.4.1: INVLPG invalidates the translations for the page containing the address, whatever
 * their size). An entry keeps the attributes it was filled with: here only the present bit is
 * modelled, and a non-present leaf is never cached, so every entry is PRESENT|RW as filled.
 */
public final class Tlb {
  /** A cached translation: the first frame it maps and its level (1: 4K, 2: 2M, 3: 1G). */
  public record Entry(long va, int pfn, int level) {
    public int pages() {
      return pagesOf(level);
    }
  }

  private final int capacity;
  /** By the entry's aligned page number shifted by 2, or-ed with its level. */
  private final LinkedHashMap<Long, Integer> entries;
  /** Entries cached per level, so a lookup probes only the sizes the TLB holds. */
  private final int[] perLevel = new int[4];

  public Tlb(int capacity) {
    this.capacity = capacity;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
            if (size() <= Tlb.this.capacity) return false;
            perLevel[(int) (eldest.getKey() & 3)]--;
            return true;
          }
        };
  }

  static int pagesOf(int level) {
    return 1 << (9 * (level - 1));
  }

  private static long key(long va, int level) {
    long vpn = (va >>> 12) & ~(long) (pagesOf(level) - 1);
    return (vpn << 2) | level;
  }

  /** The cached pfn of a page-aligned kernel VA, from an entry of any size, or -1 on a miss. */
  public int lookup(long va) {
    for (int level = 1; level <= 3; level++) {
      if (perLevel[level] == 0) continue;
      Integer first = entries.get(key(va, level));
      if (first != null) return first + (int) ((va >>> 12) & (pagesOf(level) - 1));
    }
    return -1;
  }

  /** The level of the entry that translates va (as {@link #lookup}), or 0 on a miss. */
  public int levelOf(long va) {
    for (int level = 1; level <= 3; level++) if (perLevel[level] > 0 && entries.containsKey(key(va, level))) return level;
    return 0;
  }

  /** Caches the translation of va to pfn that a walk found through a leaf of this level. */
  public void fill(long va, int pfn, int level) {
    int offset = (int) ((va >>> 12) & (pagesOf(level) - 1));
    if (entries.put(key(va, level), pfn - offset) == null) perLevel[level]++;
  }

  /** A 4K translation (a walk through a 4K leaf). */
  public void fill(long va, int pfn) {
    fill(va, pfn, 1);
  }

  /**
   * INVLPG of every page in [start, end): every entry that translates one of them, whatever its
   * size; or every entry (a full flush, global ones included).
   */
  public int flush(long start, long end, boolean full) {
    int before = entries.size();
    if (full) {
      entries.clear();
      java.util.Arrays.fill(perLevel, 0);
    } else {
      entries.keySet().removeIf(k -> {
        int level = (int) (k & 3);
        long first = (k >>> 2) << 12;
        long last = first + ((long) pagesOf(level) << 12);
        if (first >= end || start >= last) return false;
        perLevel[level]--;
        return true;
      });
    }
    return before - entries.size();
  }

  public int size() {
    return entries.size();
  }

  /** Every cached entry (ghost, for the end-of-run check). */
  public Entry[] entries() {
    Entry[] out = new Entry[entries.size()];
    int i = 0;
    for (Map.Entry<Long, Integer> e : entries.entrySet()) {
      long k = e.getKey();
      out[i++] = new Entry((k >>> 2) << 12, e.getValue(), (int) (k & 3));
    }
    return out;
  }
}
