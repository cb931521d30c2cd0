package gmemsim.lang;

/**
 * The instructions a function compiles to. A frame has slots (parameters, then locals) and an
 * operand stack; every value has a ghost beside it (what the simulator knows of it and the kernel
 * does not, such as the allocation generation of the page it names). Operands follow the opcode
 * in the code array.
 */
public final class Op {
  private Op() {}

  /** CONST k: push consts[k]. */
  public static final int CONST = 1;
  /** LOAD s: push slot s. */
  public static final int LOAD = 2;
  /** STORE s: pop into slot s. */
  public static final int STORE = 3;
  /** STOREK s: store the top into slot s and keep it. */
  public static final int STOREK = 4;
  public static final int DUP = 5;
  public static final int POP = 6;
  /** ADDR s: push a pointer to slot s of this frame. */
  public static final int ADDR = 7;
  /** LOADI: pop a pointer, push what it points to. */
  public static final int LOADI = 8;
  /** STOREI: pop a value and a pointer, store through it. */
  public static final int STOREI = 9;
  /** STOREIK: as STOREI, and push the value again. */
  public static final int STOREIK = 10;
  public static final int NEG = 11;
  public static final int NOT = 12;
  public static final int BNOT = 13;
  public static final int ADD = 14;
  public static final int SUB = 15;
  public static final int MUL = 16;
  public static final int DIV = 17;
  public static final int MOD = 18;
  public static final int SHL = 19;
  public static final int SHR = 20;
  public static final int AND = 21;
  public static final int OR = 22;
  public static final int XOR = 23;
  public static final int EQ = 24;
  public static final int NE = 25;
  public static final int LT = 26;
  public static final int LE = 27;
  public static final int GT = 28;
  public static final int GE = 29;
  /** JMP t */
  public static final int JMP = 30;
  /** JZ t: pop, jump when 0. */
  public static final int JZ = 31;
  /** JNZ t: pop, jump when not 0. */
  public static final int JNZ = 32;
  /** COUNT b: basic block b starts (coverage). */
  public static final int COUNT = 33;
  /** CALL f n: call modelled function f with n arguments. */
  public static final int CALL = 34;
  /** CALLX e n site: call external e (a primitive, a helper, a marker) with n arguments from call site {@code site}. */
  public static final int CALLX = 35;
  /** FIELD f: pop a handle, push its immutable field f. */
  public static final int FIELD = 36;
  /** FADDR f: pop a handle, push the address of its field f (a lock). */
  public static final int FADDR = 37;
  /** RET: pop the value and return it. */
  public static final int RET = 38;
  /** RETV: return from a void function. */
  public static final int RETV = 39;
  /** BOOL: replace the top by 0 or 1 (C's !!). */
  public static final int BOOL = 40;

  /** Operand count of each opcode. */
  public static int operands(int op) {
    return switch (op) {
      case CONST, LOAD, STORE, STOREK, ADDR, JMP, JZ, JNZ, COUNT, FIELD, FADDR -> 1;
      case CALL -> 2;
      case CALLX -> 3;
      default -> 0;
    };
  }
}
