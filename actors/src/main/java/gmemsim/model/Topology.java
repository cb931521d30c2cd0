package gmemsim.model;

/**
 * Where state lives: which component owns the struct pages of a pfn. Paths route each step
 * through it, exactly as a kernel path reaches the struct page of a pfn.
 */
public final class Topology {
  private final int basePfn;
  private final int pagesPerRange;
  private final int[] memoryComponents;

  public Topology(int basePfn, int pagesPerRange, int[] memoryComponents) {
    this.basePfn = basePfn;
    this.pagesPerRange = pagesPerRange;
    this.memoryComponents = memoryComponents.clone();
  }

  /** The memory component owning the struct page of {@code pfn}. */
  public int memoryFor(int pfn) {
    int r = (pfn - basePfn) / pagesPerRange;
    if (pfn < basePfn || r >= memoryComponents.length) {
      throw new IllegalArgumentException("no memory at pfn 0x" + Integer.toHexString(pfn));
    }
    return memoryComponents[r];
  }

  public int memoryRange(int index) {
    return memoryComponents[index];
  }

  public int ranges() {
    return memoryComponents.length;
  }
}
