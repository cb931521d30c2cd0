package gmemsim.model.mm;

import java.util.function.IntFunction;

/**
 * Ghost content of a page: whose data it holds. Packed in an int so the per-page array stays
 * flat. The simulated kernel never reads it; oracles and traces do.
 */
public final class PageTag {
  public static final int NONE = 0;
  private static final int GUEST_PRIVATE = 1 << 24;
  private static final int KERNEL = 2 << 24;

  private PageTag() {}

  private static final int NO_DIRECT_MAP = 1 << 23;

  /** Data a guest of VM {@code vm} wrote. */
  public static int guestPrivate(int vm) {
    return GUEST_PRIVATE | vm;
  }

  /** Private data of VM {@code vm} whose guest_memfd is meant to be out of the direct map. */
  public static int guestPrivateNoDirectMap(int vm) {
    return GUEST_PRIVATE | NO_DIRECT_MAP | vm;
  }

  /**
   * What a page's content counts as once the page has left its file (or is freed): guest data
   * stays in it (no design clears it; secretmem does), but it no longer belongs to a no-direct-map
   * file, whose promise ends when the page leaves it. Data remanence is the guest's concern
   * (init_on_free); a write into the page after that is judged afresh.
   */
  public static int afterFree(int tag) {
    return mustNotBeInDirectMap(tag) ? tag & ~NO_DIRECT_MAP : tag;
  }

  /** Whether this is guest-private data that the kernel direct map must never expose. */
  public static boolean mustNotBeInDirectMap(int tag) {
    return (tag >>> 24) == 1 && (tag & NO_DIRECT_MAP) != 0;
  }

  /** Data a kernel user (identified by component index) wrote. */
  public static int kernel(int owner) {
    return KERNEL | owner;
  }

  /** @param names component names by index, for kernel data */
  public static String describe(int tag, IntFunction<String> names) {
    return switch (tag >>> 24) {
      case 0 -> "no data";
      case 1 -> "guest-private data of VM " + (tag & 0x7fffff)
          + ((tag & NO_DIRECT_MAP) != 0 ? " (no-direct-map memory)" : "");
      case 2 -> "kernel data of " + names.apply(tag & 0xffffff);
      default -> "tag " + tag;
    };
  }
}
