package gmemsim.model.exec;

import java.util.Arrays;

/**
 * Ghost: the references a thread believes it holds, each as the folio it took it on, that folio's
 * order then, and the allocation generation of the folio then. A step that uses a page "under a
 * reference" carries the belief that covers the page, so the oracles can tell a path that uses a
 * page its reference no longer pins (wrong-folio-ref, use-after-free) from one that is right. The
 * kernel keeps no such record; it is what the path's author assumed. One per executor.
 */
public final class RefBeliefs {
  private long[] head = new long[8];
  private int[] order = new int[8];
  private long[] gen = new long[8];
  private int n;

  /** A reference taken on folio {@code h} of order {@code o}, generation {@code g}. */
  public void add(long h, int o, long g) {
    if (n == head.length) {
      head = Arrays.copyOf(head, n * 2);
      order = Arrays.copyOf(order, n * 2);
      gen = Arrays.copyOf(gen, n * 2);
    }
    head[n] = h;
    order[n] = o;
    gen[n] = g;
    n++;
  }

  /** One reference on folio h dropped (none believed: nothing to forget). */
  public void remove(long h) {
    for (int i = n - 1; i >= 0; i--) {
      if (head[i] == h) {
        System.arraycopy(head, i + 1, head, i, n - i - 1);
        System.arraycopy(order, i + 1, order, i, n - i - 1);
        System.arraycopy(gen, i + 1, gen, i, n - i - 1);
        n--;
        return;
      }
    }
  }

  /** The newest belief whose folio covered page p when taken, as {head, generation}, or null. */
  public long[] covering(long p) {
    for (int i = n - 1; i >= 0; i--) {
      if (p >= head[i] && p < head[i] + (1L << order[i])) return new long[] {head[i], gen[i]};
    }
    return null;
  }

  /**
   * The belief a path that uses page p relies on: the newest one that covers p, else its newest
   * reference of all (a folio split after the path looked it up and before it took the reference:
   * the path took that reference believing it pins p); null when it believes it holds none.
   */
  public long[] reliedOn(long p) {
    long[] b = covering(p);
    if (b != null || n == 0) return b;
    return new long[] {head[n - 1], gen[n - 1]};
  }

  /** As {@link #covering}, with the folio's order then: {head, generation, order}, or null. */
  public long[] coveringWithOrder(long p) {
    for (int i = n - 1; i >= 0; i--) {
      if (p >= head[i] && p < head[i] + (1L << order[i])) return new long[] {head[i], gen[i], order[i]};
    }
    return null;
  }

  public void clear() {
    n = 0;
  }

  /** Packs a reply's ghost: the generation and the order of the folio a get pinned. */
  public static long pack(long gen, int order) {
    return gen | (long) order << 56;
  }

  static long genOf(long packed) {
    return packed & ((1L << 56) - 1);
  }

  static int orderOf(long packed) {
    return (int) (packed >>> 56);
  }
}
