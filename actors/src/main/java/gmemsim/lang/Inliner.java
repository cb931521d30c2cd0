package gmemsim.lang;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Expands calls of small stepless functions in their callers' instruction arrays (`file_inode()`,
 * `i_size_read()`, `gfn_to_memslot()`, ...): such a call makes no step, so no other path can run
 * between its instructions and the caller's, and expanding it changes nothing a run can observe.
 * What it saves is the interpreter's frame for each call, which upstream's many small helpers
 * made a tenth of a hunt's time. The callee keeps its own compiled form (an entry or a patch may
 * still name it); its blocks count under its own name in coverage, and the caller records it in
 * {@link Fn#inlined} so the static call graph still sees the call.
 *
 * <p>Expanded: a function with no step, no call left after its own callees were expanded, no
 * address of a local taken, and at most {@link #MAX_CODE} code words. Its parameters and locals
 * get slots after the caller's own (one region per caller, reused by every expanded call, since
 * no two run at once); `return v` becomes a jump to the end with v on the operand stack, as the
 * call would have left it.
 */
final class Inliner {
  static final int MAX_CODE = 96;

  private final List<Fn> fns;
  private final Fn[] out;
  private final byte[] state;
  private static final byte TODO = 0;
  private static final byte BUSY = 1;
  private static final byte DONE = 2;

  private Inliner(List<Fn> fns) {
    this.fns = fns;
    this.out = new Fn[fns.size()];
    this.state = new byte[fns.size()];
  }

  /** The functions with expandable calls expanded, by index as given; the old objects are not changed. */
  static List<Fn> expand(List<Fn> fns) {
    Inliner in = new Inliner(fns);
    for (int i = 0; i < fns.size(); i++) in.done(i);
    return Arrays.asList(in.out);
  }

  private Fn done(int i) {
    if (state[i] == DONE) return out[i];
    if (state[i] == BUSY) return null; // recursion: expanded nowhere
    state[i] = BUSY;
    Fn f = fns.get(i);
    Fn g = rewrite(f);
    out[i] = g;
    state[i] = DONE;
    return g;
  }

  private static boolean expandable(Fn f) {
    if (f.code.length > MAX_CODE) return false;
    for (int pc = 0; pc < f.code.length; pc += 1 + Op.operands(f.code[pc])) {
      int op = f.code[pc];
      if (op == Op.CALL || op == Op.CALLX || op == Op.ADDR) return false;
    }
    return true;
  }

  /** f with every call of an expandable (already rewritten) callee expanded; f itself when there is none. */
  private Fn rewrite(Fn f) {
    int[] code = f.code;
    Map<Integer, Fn> callees = new HashMap<>();
    int region = 0;
    for (int pc = 0; pc < code.length; pc += 1 + Op.operands(code[pc])) {
      if (code[pc] != Op.CALL) continue;
      Fn c = done(code[pc + 1]);
      if (c != null && expandable(c)) {
        callees.put(pc, c);
        region = Math.max(region, c.slots);
      }
    }
    if (callees.isEmpty()) return f;

    // Pass 1: the new position of every old instruction (jump targets move).
    int[] at = new int[code.length + 1];
    int n = 0;
    for (int pc = 0; pc < code.length; pc += 1 + Op.operands(code[pc])) {
      at[pc] = n;
      Fn c = callees.get(pc);
      n += c == null ? 1 + Op.operands(code[pc]) : expandedSize(c);
    }
    at[code.length] = n;

    // Pass 2: emit.
    int base = f.slots;
    int[] nc = new int[n];
    Pos[] np = new Pos[n];
    List<Long> consts = new ArrayList<>();
    for (long k : f.consts) consts.add(k);
    Map<Long, Integer> constIndex = new HashMap<>();
    for (int k = 0; k < f.consts.length; k++) constIndex.putIfAbsent(f.consts[k], k);
    List<Integer> inlined = new ArrayList<>();
    for (int x : f.inlined) inlined.add(x);
    int w = 0;
    for (int pc = 0; pc < code.length; pc += 1 + Op.operands(code[pc])) {
      int op = code[pc];
      Fn c = callees.get(pc);
      if (c == null) {
        np[w] = f.posAt[pc];
        nc[w++] = op;
        for (int k = 1; k <= Op.operands(op); k++) {
          np[w] = f.posAt[pc + k];
          int o = code[pc + k];
          nc[w++] = k == 1 && (op == Op.JMP || op == Op.JZ || op == Op.JNZ) ? at[o] : o;
        }
        continue;
      }
      inlined.add(code[pc + 1]);
      for (int x : c.inlined) inlined.add(x);
      w = emitExpanded(c, base, nc, np, w, f.posAt[pc], consts, constIndex);
    }
    if (w != n) throw new IllegalStateException(f.name + ": expansion wrote " + w + " of " + n + " words");
    long[] k = new long[consts.size()];
    for (int j = 0; j < k.length; j++) k[j] = consts.get(j);
    int maxStack = f.maxStack;
    for (Fn c : callees.values()) maxStack = Math.max(maxStack, f.maxStack + c.maxStack);
    return new Fn(f.name, f.pos, f.origin, f.params, f.returnsValue, base + region, maxStack, nc, k, np,
        inlined.stream().distinct().mapToInt(Integer::intValue).toArray());
  }

  /** Words an expanded call of c takes: the argument stores, the local clears, c's code with each return a jump. */
  private static int expandedSize(Fn c) {
    int n = 2 * c.params.size() + 4 * (c.slots - c.params.size());
    for (int pc = 0; pc < c.code.length; pc += 1 + Op.operands(c.code[pc])) {
      int op = c.code[pc];
      n += op == Op.RET ? 2 : op == Op.RETV ? 4 : 1 + Op.operands(op);
    }
    return n;
  }

  private static int emitExpanded(Fn c, int base, int[] nc, Pos[] np, int w, Pos callAt, List<Long> consts,
      Map<Long, Integer> constIndex) {
    // The arguments are on the stack, the last on top: into the callee's parameter slots.
    for (int p = c.params.size() - 1; p >= 0; p--) w = put(nc, np, w, callAt, Op.STORE, base + p);
    // Its locals start at 0, as a fresh frame's do.
    int zero = constant(0L, consts, constIndex);
    for (int s = c.params.size(); s < c.slots; s++) w = put(nc, np, w, callAt, Op.CONST, zero, Op.STORE, base + s);
    int start = w;
    int end = start + (expandedSize(c) - 2 * c.params.size() - 4 * (c.slots - c.params.size()));
    int[] at = new int[c.code.length + 1];
    int x = start;
    for (int pc = 0; pc < c.code.length; pc += 1 + Op.operands(c.code[pc])) {
      at[pc] = x;
      int op = c.code[pc];
      x += op == Op.RET ? 2 : op == Op.RETV ? 4 : 1 + Op.operands(op);
    }
    at[c.code.length] = x;
    for (int pc = 0; pc < c.code.length; pc += 1 + Op.operands(c.code[pc])) {
      int op = c.code[pc];
      Pos pos = c.posAt[pc];
      switch (op) {
        case Op.RET -> w = put(nc, np, w, pos, Op.JMP, end);
        // A void call leaves a 0 for the caller's POP, as RETV does.
        case Op.RETV -> w = put(nc, np, w, pos, Op.CONST, zero, Op.JMP, end);
        default -> {
          np[w] = pos;
          nc[w++] = op;
          if (Op.operands(op) == 1) {
            int o = c.code[pc + 1];
            int mapped = switch (op) {
              case Op.LOAD, Op.STORE, Op.STOREK -> base + o;
              case Op.CONST -> constant(c.consts[o], consts, constIndex);
              case Op.JMP, Op.JZ, Op.JNZ -> at[o];
              default -> o;
            };
            np[w] = c.posAt[pc + 1];
            nc[w++] = mapped;
          } else if (Op.operands(op) != 0) {
            throw new IllegalStateException(c.name + ": an expanded function has a " + op + " instruction");
          }
        }
      }
    }
    if (w != end) throw new IllegalStateException(c.name + ": expanded to " + (w - start) + " words, expected " + (end - start));
    return w;
  }

  /** Writes words at w, each from source position pos; returns the next free position. */
  private static int put(int[] nc, Pos[] np, int w, Pos pos, int... words) {
    for (int x : words) {
      np[w] = pos;
      nc[w++] = x;
    }
    return w;
  }

  private static int constant(long v, List<Long> consts, Map<Long, Integer> constIndex) {
    Integer k = constIndex.get(v);
    if (k == null) {
      k = consts.size();
      consts.add(v);
      constIndex.put(v, k);
    }
    return k;
  }
}
