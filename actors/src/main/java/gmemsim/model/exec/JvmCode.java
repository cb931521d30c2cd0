package gmemsim.model.exec;

import static org.objectweb.asm.Opcodes.*;

import gmemsim.lang.Fn;
import gmemsim.lang.Op;
import gmemsim.lang.Program;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Compiles each kernel function's instructions to JVM bytecode, one hidden class per function
 * ({@link Segment}), so that the JIT turns a run of loads, stores, arithmetic, branches and block
 * counts into machine code instead of a dispatch per instruction. The instructions that leave the
 * function (calls, external calls, returns) stay with the interpreter, which keeps the frames, the
 * steps and everything a trace shows: the compiled code computes exactly what the interpreter's
 * cases compute, on the same stack. A function whose code would pass the JIT's size limit for one
 * method (8000 bytes) is left to the interpreter. Compiled once per program.
 */
public final class JvmCode {
  /** Bytes of a compiled class beyond which its method may be too large for the JIT. */
  private static final int MAX_CLASS_BYTES = 7600;
  private static final String SEGMENT = "gmemsim/model/exec/Segment";
  private static final String PATH = "gmemsim/model/exec/SourcePath";
  private static final String ENV = "gmemsim/model/exec/KernelEnv";
  private static final String RUN_DESC = "(L" + PATH + ";L" + ENV + ";[J[J[IIII)J";
  // The locals of run(): this, then its parameters, then scratch.
  private static final int P = 1;
  private static final int E = 2;
  private static final int V = 3;
  private static final int G = 4;
  private static final int COUNTS = 5;
  private static final int BP = 6;
  private static final int SP = 7;
  private static final int PC = 8;
  private static final int L = 9;
  private static final int R = 11;
  private static final int A = 13;

  private static final Map<Program, Segment[]> COMPILED = Collections.synchronizedMap(new WeakHashMap<>());
  private static volatile boolean enabled = !Boolean.getBoolean("gmemsim.interpret");

  private JvmCode() {}

  /** Whether programs are compiled (the interpreter alone runs them otherwise; for comparing the two). */
  public static void enable(boolean on) {
    enabled = on;
  }

  /** The compiled functions of p by index (null entries: interpreted), or null when compiling is off. */
  static Segment[] segments(Program p) {
    if (!enabled) return null;
    Segment[] s = COMPILED.get(p);
    if (s == null) {
      s = compile(p);
      COMPILED.put(p, s);
    }
    return s;
  }

  private static Segment[] compile(Program p) {
    Fn[] fns = p.functionTable();
    Segment[] out = new Segment[fns.length];
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    for (int i = 0; i < fns.length; i++) {
      byte[] bytes = classFor(fns[i], i);
      if (bytes == null || bytes.length > MAX_CLASS_BYTES) continue;
      try {
        MethodHandles.Lookup hidden = lookup.defineHiddenClass(bytes, true);
        out[i] = (Segment) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
      } catch (Throwable t) {
        throw new IllegalStateException("compiling " + fns[i].name + "() to JVM code: " + t, t);
      }
    }
    return out;
  }

  /** The class of fn's segments, or null when an instruction has no compiled form. */
  private static byte[] classFor(Fn fn, int index) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
      @Override
      protected String getCommonSuperClass(String a, String b) {
        return a.equals(b) ? a : "java/lang/Object";
      }
    };
    cw.visit(V17, ACC_FINAL | ACC_SUPER, "gmemsim/model/exec/Fn" + index, null, SEGMENT, null);
    MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(ALOAD, 0);
    init.visitMethodInsn(INVOKESPECIAL, SEGMENT, "<init>", "()V", false);
    init.visitInsn(RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    MethodVisitor mv = cw.visitMethod(0, "run", RUN_DESC, null, null);
    mv.visitCode();
    if (!body(new Gen(mv, fn))) return null;
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static boolean body(Gen g) {
    int[] code = g.fn.code;
    Label[] at = new Label[code.length];
    List<Integer> entries = new ArrayList<>();
    entries.add(0);
    int prev = -1;
    for (int pc = 0; pc < code.length; pc += 1 + Op.operands(code[pc])) {
      at[pc] = new Label();
      if (prev >= 0 && leaves(code[prev])) entries.add(pc);
      prev = pc;
    }
    // Any other pc has no entry: the segment hands it straight back, and the interpreter runs it.
    Label elsewhere = new Label();
    int[] keys = entries.stream().mapToInt(Integer::intValue).toArray();
    Label[] targets = new Label[keys.length];
    for (int i = 0; i < keys.length; i++) targets[i] = at[keys[i]];
    g.mv.visitVarInsn(ILOAD, PC);
    g.mv.visitLookupSwitchInsn(elsewhere, keys, targets);
    g.mv.visitLabel(elsewhere);
    g.leave(null);
    for (int pc = 0; pc < code.length; pc += 1 + Op.operands(code[pc])) {
      g.mv.visitLabel(at[pc]);
      if (!g.op(pc, at)) return false;
    }
    return true;
  }

  private static boolean leaves(int op) {
    return op == Op.CALL || op == Op.CALLX || op == Op.RET || op == Op.RETV;
  }

  /** The code of one function's run(), instruction by instruction. */
  private static final class Gen {
    final MethodVisitor mv;
    final Fn fn;

    Gen(MethodVisitor mv, Fn fn) {
      this.mv = mv;
      this.fn = fn;
    }

    /** Returns the stack top and pc to the interpreter: (long) sp << 32 | pc (pc null: the entry pc). */
    void leave(Integer pc) {
      mv.visitVarInsn(ILOAD, SP);
      mv.visitInsn(I2L);
      mv.visitIntInsn(BIPUSH, 32);
      mv.visitInsn(LSHL);
      if (pc == null) {
        mv.visitVarInsn(ILOAD, PC);
        mv.visitInsn(I2L);
      } else {
        lconst(pc);
      }
      mv.visitInsn(LOR);
      mv.visitInsn(LRETURN);
    }

    void iconst(int i) {
      if (i >= -1 && i <= 5) mv.visitInsn(ICONST_0 + i);
      else if (i >= Byte.MIN_VALUE && i <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, i);
      else if (i >= Short.MIN_VALUE && i <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, i);
      else mv.visitLdcInsn(i);
    }

    void lconst(long l) {
      if (l == 0) mv.visitInsn(LCONST_0);
      else if (l == 1) mv.visitInsn(LCONST_1);
      else mv.visitLdcInsn(l);
    }

    /** arr, sp + off */
    void top(int arr, int off) {
      mv.visitVarInsn(ALOAD, arr);
      mv.visitVarInsn(ILOAD, SP);
      if (off != 0) {
        iconst(off);
        mv.visitInsn(IADD);
      }
    }

    /** arr, bp + s */
    void slot(int arr, int s) {
      mv.visitVarInsn(ALOAD, arr);
      mv.visitVarInsn(ILOAD, BP);
      iconst(s);
      mv.visitInsn(IADD);
    }

    void sp(int d) {
      mv.visitIincInsn(SP, d);
    }

    /** arr[sp + to] = arr[sp + from], for the values and the ghosts. */
    void copyTop(int to, int from) {
      for (int arr : new int[] {V, G}) {
        top(arr, to);
        top(arr, from);
        mv.visitInsn(LALOAD);
        mv.visitInsn(LASTORE);
      }
    }

    void zeroGhost(int off) {
      top(G, off);
      mv.visitInsn(LCONST_0);
      mv.visitInsn(LASTORE);
    }

    /** Replaces the int comparison result on the stack by 1L when jump(opcode) holds, else 0L. */
    void asLong(int ifOpcode) {
      Label yes = new Label();
      Label end = new Label();
      mv.visitJumpInsn(ifOpcode, yes);
      mv.visitInsn(LCONST_0);
      mv.visitJumpInsn(GOTO, end);
      mv.visitLabel(yes);
      mv.visitInsn(LCONST_1);
      mv.visitLabel(end);
    }

    /** A jump to t from the instruction at pc: a backward one counts towards an endless loop. */
    void jump(int pc, int t, Label[] at) {
      if (t < pc + 1) {
        mv.visitVarInsn(ALOAD, P);
        iconst(pc + 1);
        mv.visitMethodInsn(INVOKEVIRTUAL, PATH, "backJump", "(I)V", false);
      }
      mv.visitJumpInsn(GOTO, at[t]);
    }

    void ptrOfTop(int off) {
      top(V, off);
      mv.visitInsn(LALOAD);
      mv.visitMethodInsn(INVOKESTATIC, PATH, "ptr", "(J)I", false);
      mv.visitVarInsn(ISTORE, A);
    }

    /** arr[a] = arr[sp + off], for the values and the ghosts. */
    void storeThrough(int off) {
      for (int arr : new int[] {V, G}) {
        mv.visitVarInsn(ALOAD, arr);
        mv.visitVarInsn(ILOAD, A);
        top(arr, off);
        mv.visitInsn(LALOAD);
        mv.visitInsn(LASTORE);
      }
    }

    boolean op(int pc, Label[] at) {
      int[] code = fn.code;
      int op = code[pc];
      switch (op) {
        case Op.CONST -> {
          top(V, 0);
          lconst(fn.consts[code[pc + 1]]);
          mv.visitInsn(LASTORE);
          zeroGhost(0);
          sp(1);
        }
        case Op.LOAD -> {
          for (int arr : new int[] {V, G}) {
            top(arr, 0);
            slot(arr, code[pc + 1]);
            mv.visitInsn(LALOAD);
            mv.visitInsn(LASTORE);
          }
          sp(1);
        }
        case Op.STORE, Op.STOREK -> {
          if (op == Op.STORE) sp(-1);
          int from = op == Op.STORE ? 0 : -1;
          for (int arr : new int[] {V, G}) {
            slot(arr, code[pc + 1]);
            top(arr, from);
            mv.visitInsn(LALOAD);
            mv.visitInsn(LASTORE);
          }
        }
        case Op.DUP -> {
          copyTop(0, -1);
          sp(1);
        }
        case Op.POP -> sp(-1);
        case Op.ADDR -> {
          top(V, 0);
          lconst(SourcePath.PTR);
          mv.visitVarInsn(ILOAD, BP);
          iconst(code[pc + 1]);
          mv.visitInsn(IADD);
          mv.visitInsn(I2L);
          mv.visitInsn(LOR);
          mv.visitInsn(LASTORE);
          zeroGhost(0);
          sp(1);
        }
        case Op.LOADI -> {
          ptrOfTop(-1);
          for (int arr : new int[] {V, G}) {
            top(arr, -1);
            mv.visitVarInsn(ALOAD, arr);
            mv.visitVarInsn(ILOAD, A);
            mv.visitInsn(LALOAD);
            mv.visitInsn(LASTORE);
          }
        }
        case Op.STOREI -> {
          sp(-2);
          ptrOfTop(0);
          storeThrough(1);
        }
        case Op.STOREIK -> {
          sp(-1);
          ptrOfTop(-1);
          storeThrough(0);
          copyTop(-1, 0);
        }
        case Op.NEG, Op.BNOT -> {
          top(V, -1);
          mv.visitInsn(DUP2);
          mv.visitInsn(LALOAD);
          if (op == Op.NEG) {
            mv.visitInsn(LNEG);
          } else {
            lconst(-1);
            mv.visitInsn(LXOR);
          }
          mv.visitInsn(LASTORE);
        }
        case Op.NOT, Op.BOOL -> {
          top(V, -1);
          top(V, -1);
          mv.visitInsn(LALOAD);
          mv.visitInsn(LCONST_0);
          mv.visitInsn(LCMP);
          asLong(op == Op.NOT ? IFEQ : IFNE);
          mv.visitInsn(LASTORE);
          zeroGhost(-1);
        }
        case Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD, Op.SHL, Op.SHR, Op.AND, Op.OR, Op.XOR -> arith(pc, op);
        case Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE -> {
          sp(-1);
          top(V, -1);
          top(V, -1);
          mv.visitInsn(LALOAD);
          top(V, 0);
          mv.visitInsn(LALOAD);
          mv.visitInsn(LCMP);
          asLong(switch (op) {
            case Op.EQ -> IFEQ;
            case Op.NE -> IFNE;
            case Op.LT -> IFLT;
            case Op.LE -> IFLE;
            case Op.GT -> IFGT;
            default -> IFGE;
          });
          mv.visitInsn(LASTORE);
          zeroGhost(-1);
        }
        case Op.JMP -> jump(pc, code[pc + 1], at);
        case Op.JZ, Op.JNZ -> {
          Label next = new Label();
          sp(-1);
          top(V, 0);
          mv.visitInsn(LALOAD);
          mv.visitInsn(LCONST_0);
          mv.visitInsn(LCMP);
          mv.visitJumpInsn(op == Op.JZ ? IFNE : IFEQ, next);
          jump(pc, code[pc + 1], at);
          mv.visitLabel(next);
        }
        case Op.COUNT -> {
          Label off = new Label();
          mv.visitVarInsn(ALOAD, COUNTS);
          mv.visitJumpInsn(IFNULL, off);
          mv.visitVarInsn(ALOAD, COUNTS);
          iconst(code[pc + 1]);
          mv.visitInsn(DUP2);
          mv.visitInsn(IALOAD);
          mv.visitInsn(ICONST_1);
          mv.visitInsn(IADD);
          mv.visitInsn(IASTORE);
          mv.visitLabel(off);
        }
        case Op.FIELD -> {
          top(V, -1);
          mv.visitVarInsn(ALOAD, E);
          top(V, -1);
          mv.visitInsn(LALOAD);
          iconst(code[pc + 1]);
          mv.visitMethodInsn(INVOKEVIRTUAL, ENV, "field", "(JI)J", false);
          mv.visitInsn(LASTORE);
          zeroGhost(-1);
        }
        case Op.FADDR -> {
          top(V, -1);
          top(V, -1);
          mv.visitInsn(LALOAD);
          iconst(code[pc + 1]);
          mv.visitMethodInsn(INVOKESTATIC, "gmemsim/model/prim/Handles", "fieldAddress", "(JI)J", false);
          mv.visitInsn(LASTORE);
        }
        case Op.CALL, Op.CALLX, Op.RET, Op.RETV -> leave(pc);
        default -> {
          return false;
        }
      }
      return true;
    }

    /** l = v[sp - 2], r = v[sp - 1]: v[sp - 2] = l op r, and the value keeps r's ghost when l had none. */
    private void arith(int pc, int op) {
      sp(-1);
      top(V, -1);
      mv.visitInsn(LALOAD);
      mv.visitVarInsn(LSTORE, L);
      top(V, 0);
      mv.visitInsn(LALOAD);
      mv.visitVarInsn(LSTORE, R);
      if (op == Op.DIV || op == Op.MOD) {
        Label ok = new Label();
        mv.visitVarInsn(LLOAD, R);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, ok);
        mv.visitVarInsn(ALOAD, P);
        iconst(pc + 1);
        mv.visitMethodInsn(INVOKEVIRTUAL, PATH, "divisionByZero", "(I)Ljava/lang/IllegalStateException;", false);
        mv.visitInsn(ATHROW);
        mv.visitLabel(ok);
      }
      top(V, -1);
      mv.visitVarInsn(LLOAD, L);
      mv.visitVarInsn(LLOAD, R);
      switch (op) {
        case Op.ADD -> mv.visitInsn(LADD);
        case Op.SUB -> mv.visitInsn(LSUB);
        case Op.MUL -> mv.visitInsn(LMUL);
        case Op.DIV -> mv.visitInsn(LDIV);
        case Op.MOD -> mv.visitInsn(LREM);
        case Op.SHL, Op.SHR -> {
          mv.visitInsn(L2I);
          mv.visitInsn(op == Op.SHL ? LSHL : LSHR);
        }
        case Op.AND -> mv.visitInsn(LAND);
        case Op.OR -> mv.visitInsn(LOR);
        default -> mv.visitInsn(LXOR);
      }
      mv.visitInsn(LASTORE);
      Label keep = new Label();
      top(G, -1);
      mv.visitInsn(LALOAD);
      mv.visitInsn(LCONST_0);
      mv.visitInsn(LCMP);
      mv.visitJumpInsn(IFNE, keep);
      copyGhost();
      mv.visitLabel(keep);
    }

    /** g[sp - 1] = g[sp] */
    private void copyGhost() {
      top(G, -1);
      top(G, 0);
      mv.visitInsn(LALOAD);
      mv.visitInsn(LASTORE);
    }
  }
}
