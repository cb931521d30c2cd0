package gmemsim.model.program;

/**
 * Order-0 pages of no-direct-map guest memory allocated at boot (the seed-001 hand-off workload:
 * a zapper takes each out of the direct map and publishes it to the guest): program operations
 * name them by number, {@code page = 0, 1, ...}.
 */
public record GuestPages(int[] pfns) {
  public int pfn(int page) {
    return pfns[page];
  }

  public int count() {
    return pfns.length;
  }
}
