package gmemsim.model.mm;

import java.util.function.IntFunction;

/**
 * Ghost content of a page: whose data it holds and, for guest data a program wrote, the byte the
 * page is filled with (a selftest's memset() pattern). Packed in an int so the per-page array
 * stays flat. The simulated kernel never reads it; oracles, traces and a program's
 * {@code expect-data} do. NONE is a zeroed page (clear_page() writes it).
 */
public final class PageTag {
  public static final int NONE = 0;
  private static final int GUEST_PRIVATE = 1 << 24;
  private static final int KERNEL = 2 << 24;

  private PageTag() {}

  private static final int NO_DIRECT_MAP = 1 << 23;

  /** VM ids and the pattern byte share the low 23 bits: the VM's id below, the byte above. */
  private static final int VM_MASK = 0xff;
  private static final int VALUE_SHIFT = 8;
  public static final int MAX_VALUE = 0xff;

  /** Data a guest of VM {@code vm} wrote, with no pattern a program names. */
  public static int guestPrivate(int vm) {
    return GUEST_PRIVATE | vm;
  }

  /** The same content, the page filled with byte {@code value} (1..255; 0 is a zeroed page: NONE). */
  public static int withValue(int tag, int value) {
    if (value == 0) return NONE;
    if (value < 0 || value > MAX_VALUE || (tag >>> 24) != 1) throw new IllegalArgumentException("value " + value + " of tag " + tag);
    return (tag & ~(MAX_VALUE << VALUE_SHIFT)) | value << VALUE_SHIFT;
  }

  /**
   * Whether a page holding tag reads as the byte {@code expected} everywhere (0: zeros). Guest data
   * with no named pattern matches no byte: what a program did not name, it cannot expect.
   */
  public static boolean reads(int tag, int expected) {
    if (expected == 0) return tag == NONE;
    return (tag >>> 24) == 1 && ((tag >>> VALUE_SHIFT) & MAX_VALUE) == expected;
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
      case 0 -> "zeros";
      case 1 -> "guest-private data"
          + (((tag >>> VALUE_SHIFT) & MAX_VALUE) == 0 ? "" : " 0x" + Integer.toHexString((tag >>> VALUE_SHIFT) & MAX_VALUE))
          + " of VM " + (tag & VM_MASK)
          + ((tag & NO_DIRECT_MAP) != 0 ? " (no-direct-map memory)" : "");
      case 2 -> "kernel data of " + names.apply(tag & 0xffffff);
      default -> "tag " + tag;
    };
  }
}
