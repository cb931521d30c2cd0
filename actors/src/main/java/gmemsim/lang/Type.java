package gmemsim.lang;

/**
 * A C type as the subset keeps it: a base name ({@code int}, {@code unsigned long}, {@code gfn_t},
 * {@code struct folio}, {@code void}) and a pointer depth. Every value is a 64-bit integer at run
 * time; the type says which operations make sense ({@code ->} on a struct pointer, {@code *} on a
 * pointer to a local, no value from a void call).
 */
public record Type(String base, int pointers) {
  public static final Type VOID = new Type("void", 0);
  public static final Type INT = new Type("int", 0);
  public static final Type LONG = new Type("long", 0);
  public static final Type BOOL = new Type("bool", 0);

  public boolean isVoid() {
    return pointers == 0 && base.equals("void");
  }

  /** {@code struct X *}: a handle on a kernel object whose fields {@code ->} reads. */
  public boolean isStructPointer() {
    return pointers == 1 && base.startsWith("struct ");
  }

  /** The struct's name without "struct ", or null. */
  public String struct() {
    return base.startsWith("struct ") ? base.substring(7) : null;
  }

  public Type pointerTo() {
    return new Type(base, pointers + 1);
  }

  /** The type {@code *p} has, for p of this type. */
  public Type pointee() {
    return new Type(base, pointers - 1);
  }

  @Override
  public String toString() {
    return base + (pointers == 0 ? "" : " " + "*".repeat(pointers));
  }
}
