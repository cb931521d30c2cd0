package gmemsim.model.dmap;

/** x86-64 direct-map addresses: the helpers a kernel path would call. */
public final class Addr {
  /** PAGE_OFFSET with 4-level paging and no KASLR. */
  public static final long PAGE_OFFSET = 0xffff888000000000L;

  public static final int PAGE_SHIFT = 12;

  private Addr() {}

  /** page_address() / __va(PFN_PHYS(pfn)). */
  public static long pageAddress(int pfn) {
    return PAGE_OFFSET + ((long) pfn << PAGE_SHIFT);
  }

  /** virt_to_pfn() / __pa(va) >> PAGE_SHIFT. */
  public static int virtToPfn(long va) {
    return (int) ((va - PAGE_OFFSET) >>> PAGE_SHIFT);
  }

  public static String hexVa(long va) {
    return "0x" + Long.toHexString(va);
  }
}
