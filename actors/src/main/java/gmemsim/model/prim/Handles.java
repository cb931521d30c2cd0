package gmemsim.model.prim;

/**
 * Kernel objects and the locks inside them, as values kernel source passes around: a handle names
 * the component that owns the object ({@code struct kvm *}, {@code struct address_space *}), and
 * a field's address ({@code &kvm->mmu_lock}) adds the field. Handles are positive and far above
 * any page frame, gfn or index, so NULL, IS_ERR() and traces tell them apart.
 */
public final class Handles {
  private static final long TAG = 1L << 56;
  private static final long TAG_MASK = 0xFFL << 56;

  private Handles() {}

  public static long of(int component) {
    return TAG | ((long) component << 16);
  }

  /** The address of field {@code field} (a {@link Structs} id) of the object h. */
  public static long fieldAddress(long h, int field) {
    return (h & ~0xFFFFL) | (field + 1);
  }

  public static boolean isHandle(long v) {
    return (v & TAG_MASK) == TAG;
  }

  public static int component(long h) {
    return (int) ((h >>> 16) & 0xFF_FFFF);
  }

  /** The field a field address names, or -1 for the whole object. */
  public static int field(long h) {
    return (int) (h & 0xFFFF) - 1;
  }

  /** "mmu_lock" for a field address, "" for a whole object (left out of a trace), null for a plain value. */
  public static String describe(long v) {
    if (!isHandle(v)) return null;
    int f = field(v);
    return f < 0 ? "" : Structs.fieldPath(f);
  }
}
