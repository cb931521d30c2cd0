package gmemsim.lang;

import java.util.List;

/**
 * One compiled kernel function: its code, constants, slots and where it comes from. Immutable;
 * shared by every run of a scenario.
 */
public final class Fn {
  public final String name;
  public final Pos pos;
  public final SourceFile.Origin origin;
  public final List<String> params;
  public final boolean returnsValue;
  /** Parameters first, then locals. */
  public final int slots;
  public final int maxStack;
  public final int[] code;
  public final long[] consts;
  /** Source position of each instruction (the statement or expression it comes from). */
  public final Pos[] posAt;
  /** Index of this function in its program. */
  public int index;
  /**
   * The functions whose calls were expanded into this one's code (by index; see Inliner): calls
   * the static call graph must still see, though no CALL names them.
   */
  public final int[] inlined;
  /**
   * Value-stack slots and frames a call of this function needs at most, its callees' included (set
   * by its program; a recursive cycle counts once round, and the interpreter grows past it).
   */
  public int stackNeed;
  public int depthNeed;

  Fn(String name, Pos pos, SourceFile.Origin origin, List<String> params, boolean returnsValue, int slots, int maxStack,
      int[] code, long[] consts, Pos[] posAt) {
    this(name, pos, origin, params, returnsValue, slots, maxStack, code, consts, posAt, new int[0]);
  }

  Fn(String name, Pos pos, SourceFile.Origin origin, List<String> params, boolean returnsValue, int slots, int maxStack,
      int[] code, long[] consts, Pos[] posAt, int[] inlined) {
    this.name = name;
    this.pos = pos;
    this.origin = origin;
    this.params = List.copyOf(params);
    this.returnsValue = returnsValue;
    this.slots = slots;
    this.maxStack = maxStack;
    this.code = code;
    this.consts = consts;
    this.posAt = posAt;
    this.inlined = inlined;
  }

  @Override
  public String toString() {
    return name + " (" + pos.fileLine() + ")";
  }
}
