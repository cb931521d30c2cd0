package gmemsim.lang;

import java.util.Collection;

/** What the compiled source may name beyond its own functions and constants. */
public interface Externals {
  /** The external of this name, or null. */
  Extern extern(String name);

  /** A named integer constant (an errno, PAGE_SIZE, ...), or null. */
  Long constant(String name);

  /** A field of a kernel object reached through {@code ->}, or null when the struct has no such field. */
  StructField field(String struct, String path);

  /** The fields a struct has, for "did you mean" (empty for an unknown struct). */
  Collection<String> fields(String struct);

  /** Every external and constant name, for "did you mean". */
  Collection<String> names();

  /**
   * A field of a kernel object the source reads without a step: fixed for the life of the object
   * (a memslot's base_gfn), or a lock whose address the source takes ({@code &kvm->mmu_lock}).
   *
   * @param addressOnly a lock or other object only {@code &} may take
   */
  record StructField(int id, String path, Type type, boolean addressOnly) {}
}
