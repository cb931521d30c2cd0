package gmemsim.model.exec;

import gmemsim.lang.Fn;
import gmemsim.lang.Op;
import gmemsim.lang.Pos;
import gmemsim.lang.Program;
import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.KernelEvents;
import gmemsim.model.prim.Prim;
import gmemsim.model.prim.Primitives;
import gmemsim.model.prim.Ref;
import gmemsim.model.prim.Route;
import gmemsim.model.prim.Step;
import gmemsim.model.thread.SyscallReturn;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.Arrays;

/**
 * Kernel source running on an executor: the interpreter of compiled functions. It runs one entry
 * function with its arguments; local computation and calls of modelled functions run at once;
 * a call of a primitive sends one {@link Step} to the owner of the state it touches and waits for
 * the reply. Frames live on one stack of values with a ghost beside each value.
 */
public final class SourcePath {
  /** Pointers to locals: a tag and the value's index on the stack. */
  static final long PTR = 0x7FF0_0000_0000_0000L;
  private static final long PTR_MASK = 0x7FFF_0000_0000_0000L;
  private static final int MAX_DEPTH = 256;
  /** Backward jumps with no step in between before a loop counts as endless. */
  private static final int MAX_SPIN = 10_000_000;
  /** Values from -MAX_ERRNO to -1 are errors (include/linux/err.h). */
  private static final long MAX_ERRNO = 4095;
  /** Builtin.values() copies its array on every call. */
  private static final Builtin[] BUILTINS = Builtin.values();
  /** The ghosts of a step under no reference: {head 0, gen 0}. Steps only read their ghosts. */
  private static final long[] NO_BELIEF = {0, 0};

  private final KernelEnv env;
  private final Fn entry;
  private final long[] args;
  private final Fn[] fns;
  private final int prims;
  /** The compiled functions by index (null entries, or null: interpreted). */
  private final Segment[] segs;
  /** Backward jumps since the last step. */
  private int spins;

  /** The executor's stack, and this path's views of its arrays while it runs. */
  private final Frames frames;
  private final int valuesNeed;
  private final int depthNeed;
  private long[] v;
  private long[] g;
  private int[] frameFn;
  private int[] framePc;
  private int[] frameBp;
  private int depth = -1;
  private int sp;

  private int irqOff;
  private int preemptOff;
  private boolean yieldNext;
  private boolean insn;
  /** The function that executes the current (or last) instruction: the caller of the CPU model's access. */
  private int insnFn = -1;
  /** Arguments read when the path starts (a result of an earlier path of the same task), by index; null: none. */
  private java.util.function.LongSupplier[] lateArgs;
  private int holderNext = -1;
  private int acks;
  private Prim pending;
  private long pendingArg0;
  private final RefBeliefs beliefs;
  private int pendingOut = -1;
  /** The step in flight puts a reference __ghost_holder() named (the page cache's): not one this path believes it holds. */
  private boolean pendingHeld;
  private long result;
  private boolean killed;
  private boolean started;
  private int[] counts;
  private final long[] ghostOut = new long[1];
  /** Whether the run is traced: then an error the entry returns is noted with the line it came from. */
  private boolean tracing;
  /** The error return being passed up: its value, the frame depth it has reached, and where it began. */
  private long errVal;
  private int errDepth = -1;
  private Fn errFn;
  private int errPc;
  /** The task this path runs in, or null: a dead task's path does not run, and an oops kills the task. */
  private gmemsim.model.thread.Task task;
  /** A system call of a scenario's program: its return to userspace checks the result; null for any other path. */
  private SyscallReturn userReturn;
  /** A trace line for the start of the path: what was decided when the scenario loaded (null: none). */
  private String startNote;

  public SourcePath(KernelEnv env, String entry, long... args) {
    this(env, new RefBeliefs(), new Frames(), entry, args);
  }

  /**
   * @param beliefs the references the executor believes it holds, shared by the paths it runs
   * @param frames the executor's stack, shared by the paths it runs (one at a time)
   */
  public SourcePath(KernelEnv env, RefBeliefs beliefs, Frames frames, String entry, long... args) {
    this.beliefs = beliefs;
    this.frames = frames;
    this.env = env;
    Program p = env.program();
    this.entry = p.fn(entry);
    if (this.entry == null) throw new IllegalArgumentException("no kernel function " + entry + "()");
    if (this.entry.params.size() != args.length) {
      throw new IllegalArgumentException(entry + "() takes " + this.entry.params.size() + " arguments, given " + args.length);
    }
    this.args = args.clone();
    // Room for the deepest chain of calls the entry makes (push() grows past a recursive one).
    this.valuesNeed = args.length + this.entry.stackNeed;
    this.depthNeed = Math.max(2, this.entry.depthNeed);
    this.fns = p.functionTable();
    this.prims = KernelExterns.INSTANCE.primitives();
    this.segs = env.segments();
  }

  public String name() {
    return entry.name;
  }

  /** What the entry function returned (0 for a void one). */
  public long result() {
    return result;
  }

  /** The result as a system call's int. */
  public int intResult() {
    return (int) result;
  }

  /** Whether an oops ended the path (make_task_dead()). */
  public boolean killed() {
    return killed;
  }

  public Fn entry() {
    return entry;
  }

  /** This path is a call of task t: it does not run once t is dead, and make_task_dead() kills t. Returns this path. */
  public SourcePath inTask(gmemsim.model.thread.Task t) {
    this.task = t;
    return this;
  }

  /** This path is a system call of a scenario's program, whose result the program checks. Returns this path. */
  public SourcePath returnsTo(SyscallReturn r) {
    this.userReturn = r;
    return this;
  }

  /**
   * A trace line for the path's start, when its result was decided as the scenario loaded (create
   * and bind, whose checks ran on kernel source then): it says where an error began, so the path
   * does not add its own. Returns this path.
   */
  public SourcePath noting(String note) {
    this.startNote = note;
    return this;
  }

  /**
   * Argument {@code i} is read when the path starts, from {@code value}: a result of an earlier
   * path of the same task (the zap a later hand-off reports). Returns this path.
   */
  public SourcePath argAtStart(int i, java.util.function.LongSupplier value) {
    if (lateArgs == null) lateArgs = new java.util.function.LongSupplier[args.length];
    lateArgs[i] = value;
    return this;
  }

  public boolean start(Ctx ctx) {
    if (task != null && task.dead()) return true;
    if (userReturn != null && !userReturn.enter(ctx)) return true;
    if (startNote != null && ctx.tracing()) ctx.note(startNote);
    depth = -1;
    sp = 0;
    irqOff = 0;
    preemptOff = 0;
    yieldNext = false;
    holderNext = -1;
    insn = false;
    insnFn = -1;
    result = 0;
    killed = false;
    pending = null;
    tracing = ctx.tracing();
    errDepth = -1;
    frames.claim(this, valuesNeed, depthNeed);
    v = frames.v;
    g = frames.g;
    frameFn = frames.fn;
    framePc = frames.pc;
    frameBp = frames.bp;
    if (!started) {
      started = true;
      counts = ctx.blockCounts(env.program());
    }
    for (int i = 0; i < args.length; i++) {
      v[i] = lateArgs != null && lateArgs[i] != null ? lateArgs[i].getAsLong() : args[i];
      g[i] = 0;
    }
    sp = args.length;
    push(entry.index, args.length);
    return returned(run(ctx), ctx);
  }

  public boolean onReply(Ret r, Ctx ctx) {
    if (pending == null) throw new IllegalStateException(entry.name + "(): a reply with no step in flight");
    if (acks > 1) {
      acks--;
      return false;
    }
    acks = 0;
    long val = r.value();
    long gh = r.ghost();
    if (pendingOut >= 0) {
      v[pendingOut] = gh;
      g[pendingOut] = 0;
      gh = 0;
    }
    if (!(pendingHeld && pending.ref() == Ref.PUTS)) gh = believe(pending, pendingArg0, val, gh);
    pending = null;
    v[sp] = val;
    g[sp++] = gh;
    return returned(run(ctx), ctx);
  }

  /** done: the entry function returned (or an oops ended it); a system call's program then checks the result. */
  private boolean returned(boolean done, Ctx ctx) {
    if (done && userReturn != null) userReturn.returned(result, ctx);
    return done;
  }

  /** Pushes a frame for fns[f] whose n arguments are the top n values. */
  private void push(int f, int n) {
    Fn fn = fns[f];
    if (++depth >= MAX_DEPTH) {
      throw new IllegalStateException("kernel stack overflow: " + MAX_DEPTH + " nested calls at " + fn.name + "()");
    }
    if (depth >= frameFn.length) {
      frames.fn = frameFn = Arrays.copyOf(frameFn, depth * 2);
      frames.pc = framePc = Arrays.copyOf(framePc, depth * 2);
      frames.bp = frameBp = Arrays.copyOf(frameBp, depth * 2);
    }
    int bp = sp - n;
    int need = bp + fn.slots + fn.maxStack + 1;
    if (need > v.length) {
      frames.v = v = Arrays.copyOf(v, Math.max(need, v.length * 2));
      frames.g = g = Arrays.copyOf(g, v.length);
    }
    for (int i = bp + n; i < bp + fn.slots; i++) {
      v[i] = 0;
      g[i] = 0;
    }
    frameFn[depth] = f;
    framePc[depth] = 0;
    frameBp[depth] = bp;
    sp = bp + fn.slots;
  }

  static int ptr(long p) {
    if ((p & PTR_MASK) != PTR) throw new IllegalStateException("* of a value that points to no local: " + p);
    return (int) (p & 0xFFFF_FFFFL);
  }

  /** Runs until a step is in flight (false) or the entry function returned (true). */
  private boolean run(Ctx ctx) {
    if (frames.owner != this) throw new IllegalStateException(entry.name + "(): another path of its executor ran on its stack");
    Fn fn = fns[frameFn[depth]];
    int[] code = fn.code;
    int pc = framePc[depth];
    int bp = frameBp[depth];
    long[] v = this.v;
    long[] g = this.g;
    int sp = this.sp;
    spins = 0;
    Segment[] segs = this.segs;
    Segment seg = segs == null ? null : segs[frameFn[depth]];
    while (true) {
      if (seg != null) {
        long r = seg.run(this, env, v, g, counts, bp, sp, pc);
        pc = (int) r;
        sp = (int) (r >>> 32);
      }
      int op = code[pc++];
      switch (op) {
        case Op.CONST -> {
          v[sp] = fn.consts[code[pc++]];
          g[sp++] = 0;
        }
        case Op.LOAD -> {
          int s = bp + code[pc++];
          v[sp] = v[s];
          g[sp++] = g[s];
        }
        case Op.STORE -> {
          int s = bp + code[pc++];
          sp--;
          v[s] = v[sp];
          g[s] = g[sp];
        }
        case Op.STOREK -> {
          int s = bp + code[pc++];
          v[s] = v[sp - 1];
          g[s] = g[sp - 1];
        }
        case Op.DUP -> {
          v[sp] = v[sp - 1];
          g[sp] = g[sp - 1];
          sp++;
        }
        case Op.POP -> sp--;
        case Op.ADDR -> {
          v[sp] = PTR | (bp + code[pc++]);
          g[sp++] = 0;
        }
        case Op.LOADI -> {
          int a = ptr(v[sp - 1]);
          v[sp - 1] = v[a];
          g[sp - 1] = g[a];
        }
        case Op.STOREI -> {
          sp -= 2;
          int a = ptr(v[sp]);
          v[a] = v[sp + 1];
          g[a] = g[sp + 1];
        }
        case Op.STOREIK -> {
          sp--;
          int a = ptr(v[sp - 1]);
          v[a] = v[sp];
          g[a] = g[sp];
          v[sp - 1] = v[sp];
          g[sp - 1] = g[sp];
        }
        case Op.NEG -> v[sp - 1] = -v[sp - 1];
        case Op.NOT -> {
          v[sp - 1] = v[sp - 1] == 0 ? 1 : 0;
          g[sp - 1] = 0;
        }
        case Op.BNOT -> v[sp - 1] = ~v[sp - 1];
        case Op.BOOL -> {
          v[sp - 1] = v[sp - 1] != 0 ? 1 : 0;
          g[sp - 1] = 0;
        }
        case Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD, Op.SHL, Op.SHR, Op.AND, Op.OR, Op.XOR -> {
          sp--;
          long l = v[sp - 1];
          long r = v[sp];
          if ((op == Op.DIV || op == Op.MOD) && r == 0) throw divisionByZero(pc);
          v[sp - 1] = switch (op) {
            case Op.ADD -> l + r;
            case Op.SUB -> l - r;
            case Op.MUL -> l * r;
            case Op.DIV -> l / r;
            case Op.MOD -> l % r;
            case Op.SHL -> l << r;
            case Op.SHR -> l >> r;
            case Op.AND -> l & r;
            case Op.OR -> l | r;
            default -> l ^ r;
          };
          // A value computed from a page keeps the page's ghost (pfn = folio_pfn(folio) + i).
          if (g[sp - 1] == 0) g[sp - 1] = g[sp];
        }
        case Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE -> {
          sp--;
          long l = v[sp - 1];
          long r = v[sp];
          boolean b = switch (op) {
            case Op.EQ -> l == r;
            case Op.NE -> l != r;
            case Op.LT -> l < r;
            case Op.LE -> l <= r;
            case Op.GT -> l > r;
            default -> l >= r;
          };
          v[sp - 1] = b ? 1 : 0;
          g[sp - 1] = 0;
        }
        case Op.JMP -> {
          int t = code[pc];
          if (t < pc) backJump(pc);
          pc = t;
        }
        case Op.JZ -> {
          if (v[--sp] == 0) {
            int t = code[pc];
            if (t < pc) backJump(pc);
            pc = t;
          } else {
            pc++;
          }
        }
        case Op.JNZ -> {
          if (v[--sp] != 0) {
            int t = code[pc];
            if (t < pc) backJump(pc);
            pc = t;
          } else {
            pc++;
          }
        }
        case Op.COUNT -> {
          int b = code[pc++];
          if (counts != null) counts[b]++;
        }
        case Op.FIELD -> {
          v[sp - 1] = env.field(v[sp - 1], code[pc++]);
          g[sp - 1] = 0;
        }
        case Op.FADDR -> v[sp - 1] = gmemsim.model.prim.Handles.fieldAddress(v[sp - 1], code[pc++]);
        case Op.CALL -> {
          int f = code[pc++];
          int n = code[pc++];
          framePc[depth] = pc;
          this.sp = sp;
          push(f, n);
          v = this.v;
          g = this.g;
          sp = this.sp;
          fn = fns[f];
          code = fn.code;
          pc = 0;
          bp = frameBp[depth];
          seg = segs == null ? null : segs[f];
        }
        case Op.RET, Op.RETV -> {
          long rv = op == Op.RET ? v[sp - 1] : 0;
          long rg = op == Op.RET ? g[sp - 1] : 0;
          if (tracing && rv < 0 && rv >= -MAX_ERRNO) errorReturn(fn, pc, rv);
          sp = bp;
          if (depth-- == 0) {
            this.sp = 0;
            result = rv;
            if (tracing && errDepth == 0 && errVal == rv && startNote == null) noteError(ctx);
            if (irqOff != 0 || preemptOff != 0) leftDisabled(ctx);
            return true;
          }
          v[sp] = rv;
          g[sp++] = rg;
          fn = fns[frameFn[depth]];
          code = fn.code;
          pc = framePc[depth];
          bp = frameBp[depth];
          seg = segs == null ? null : segs[frameFn[depth]];
        }
        case Op.CALLX -> {
          int x = code[pc++];
          int n = code[pc++];
          int site = code[pc++];
          int base = sp - n;
          if (x >= prims) {
            sp = builtin(BUILTINS[x - prims], base, n, site, ctx, fn);
            if (sp < 0) {
              killed = true;
              depth = -1;
              this.sp = 0;
              return true;
            }
            continue;
          }
          framePc[depth] = pc;
          int after = primitive(x, base, sp, site, ctx);
          if (after < 0) return false;
          sp = after;
        }
        default -> throw new IllegalStateException("bad opcode " + op + " in " + fn.name);
      }
    }
  }

  /**
   * CALLX of primitive x on the arguments v[base..top): runs it inline (route SELF) and returns the
   * stack top after its value, or sends its step and returns -1. Out of run()'s loop, so that the
   * loop stays small enough for the JIT to keep its locals in registers.
   */
  private int primitive(int x, int base, int top, int site, Ctx ctx) {
    long[] v = this.v;
    long[] g = this.g;
    Prim p = Primitives.get(x);
    long[] a = Arrays.copyOfRange(v, base, top);
    long[] ga = p.readsGhost() ? Arrays.copyOfRange(g, base, top) : p.ref() == Ref.USES ? belief(a[p.refArg()]) : null;
    int sp = base;
    if (p.route() == Route.SELF) {
      long r = Primitives.inline(env.component(ctx.self()), p, a, ga, ctx, ghostOut);
      long gh = believe(p, a, r, ghostOut[0]);
      v[sp] = r;
      g[sp] = gh;
      return sp + 1;
    }
    this.sp = sp;
    pending = p;
    pendingArg0 = a.length > 0 ? a[0] : 0;
    pendingOut = p.outParam() >= 0 ? ptr(a[p.outParam()]) : -1;
    boolean y = yieldNext;
    yieldNext = false;
    int holder = holderNext;
    holderNext = -1;
    pendingHeld = holder >= 0;
    if (p.route() == Route.EACH_CPU || p.route() == Route.EACH_VCPU) {
      int[] to = env.targets(p, a);
      if (to.length == 0) {
        pending = null;
        v[sp] = 0;
        g[sp] = 0;
        return sp + 1;
      }
      acks = to.length;
      for (int t : to) ctx.send(t, new Step(p.id(), a, ga, site, y, holder));
    } else {
      acks = 1;
      ctx.send(env.owner(p, a), new Step(p.id(), a, ga, site, y, holder));
    }
    return -1;
  }

  /** A return of -errno at depth: the one its callee returned passed up, or a new one starting here. */
  private void errorReturn(Fn fn, int pc, long rv) {
    if (errVal == rv && errDepth == depth + 1) {
      errDepth = depth;
      return;
    }
    errVal = rv;
    errDepth = depth;
    errFn = fn;
    errPc = pc - 1;
  }

  /** "vmm_fallocate() returns -EINVAL from kvm_gmem_fallocate() at virt/kvm/guest_memfd.c:287: return -EINVAL" */
  private void noteError(Ctx ctx) {
    Pos at = errFn.posAt[errPc];
    ctx.note(entry.name + "() returns " + Errno.name(errVal) + (errFn == entry ? "" : " from " + errFn.name + "()") + " at "
        + at.fileLine() + ": " + at.file().line(at.line()).strip().replaceFirst(";$", ""));
  }

  /** A system call or kernel thread function that returns with interrupts or preemption still off. */
  private void leftDisabled(Ctx ctx) {
    String who = ctx.name(ctx.self());
    String what = (irqOff != 0 ? "local_irq_disable() x" + irqOff : "") + (irqOff != 0 && preemptOff != 0 ? " and " : "")
        + (preemptOff != 0 ? "preempt_disable() x" + preemptOff : "");
    ctx.emit(new gmemsim.model.BalanceEvents.LeftUnbalanced(who, entry.name + "() returns with " + what
        + " not undone", java.util.List.of(who), java.util.List.of(entry.name)));
  }

  /** The ghost ledger after a reply of p: a get adds a belief, a put drops one. Returns the value's ghost. */
  private long believe(Prim p, long[] a, long val, long gh) {
    return believe(p, a.length > 0 ? a[0] : 0, val, gh);
  }

  private long believe(Prim p, long arg0, long val, long gh) {
    switch (p.ref()) {
      case GETS -> {
        if (val != 0) beliefs.add(arg0, RefBeliefs.orderOf(gh), RefBeliefs.genOf(gh));
        return 0;
      }
      case GETS_RESULT -> {
        if (val > 0) beliefs.add(val, RefBeliefs.orderOf(gh), RefBeliefs.genOf(gh));
        return RefBeliefs.genOf(gh);
      }
      case PUTS -> {
        beliefs.remove(arg0);
        return gh;
      }
      default -> {
        return gh;
      }
    }
  }

  /** What a step that uses page p under a reference carries: the belief covering p, {head, gen} ({0, 0}: none). */
  private long[] belief(long p) {
    long[] b = beliefs.reliedOn(p);
    return b == null ? NO_BELIEF : b;
  }

  /** A jump back from the instruction before pc: so many with no step in between is an endless loop. */
  void backJump(int pc) {
    if (++spins > MAX_SPIN) throw endless(fns[frameFn[depth]], pc);
  }

  IllegalStateException divisionByZero(int pc) {
    Fn fn = fns[frameFn[depth]];
    return new IllegalStateException(fn.name + "(): division by zero at " + fn.posAt[pc - 1]);
  }

  private IllegalStateException endless(Fn fn, int pc) {
    return new IllegalStateException(fn.name + "() looped " + MAX_SPIN + " times with no step at " + fn.posAt[pc - 1]
        + ": an endless loop (a kernel loop that waits must call a primitive)");
  }

  /** Runs a builtin on the top n values; returns the new stack top, or -1 when the task dies. */
  private int builtin(Builtin b, int base, int n, int site, Ctx ctx, Fn fn) {
    long[] v = this.v;
    long a0 = n > 0 ? v[base] : 0;
    long a1 = n > 1 ? v[base + 1] : 0;
    long g0 = n > 0 ? g[base] : 0;
    long r = 0;
    long rg = 0;
    switch (b) {
      case LOCAL_IRQ_DISABLE, LOCAL_IRQ_SAVE -> irqOff++;
      case LOCAL_IRQ_ENABLE, LOCAL_IRQ_RESTORE -> irqOff = Math.max(0, irqOff - 1);
      case PREEMPT_DISABLE -> preemptOff++;
      case PREEMPT_ENABLE -> preemptOff = Math.max(0, preemptOff - 1);
      case COND_RESCHED, CPU_RELAX -> yieldNext = true;
      case SMP_RMB, SMP_WMB, SMP_MB -> { }
      case WARN_ON, WARN_ON_ONCE, WARN -> {
        r = a0 != 0 ? 1 : 0;
        if (r != 0) {
          gmemsim.lang.Site s = env.program().site(site);
          ctx.emit(new KernelEvents.Warn(ctx.name(ctx.self()), s.fn().name + " (" + s.pos().fileLine() + ")", s.line()));
        }
      }
      case PR_INFO, PR_WARN, PR_ERR -> {
        if (ctx.tracing()) ctx.note(format(v, base, n));
      }
      case LIKELY, UNLIKELY -> {
        r = a0 != 0 ? 1 : 0;
      }
      case MIN -> r = Math.min(a0, a1);
      case MAX -> r = Math.max(a0, a1);
      case ALIGN -> r = (a0 + a1 - 1) & -a1;
      case ALIGN_DOWN -> r = a0 & -a1;
      case IS_ALIGNED -> r = (a0 & (a1 - 1)) == 0 ? 1 : 0;
      case BIT -> r = 1L << a0;
      case IS_ERR -> r = Long.compareUnsigned(a0, -4095L) >= 0 ? 1 : 0;
      case IS_ERR_OR_NULL -> r = a0 == 0 || Long.compareUnsigned(a0, -4095L) >= 0 ? 1 : 0;
      case PTR_ERR, ERR_PTR -> r = a0;
      case PAGE_TO_PFN, PFN_TO_PAGE, FOLIO_PFN -> {
        r = a0;
        rg = g0;
      }
      case FOLIO_PAGE -> {
        r = a0 + a1;
        rg = g0;
      }
      case PAGE_ADDRESS -> {
        r = gmemsim.model.dmap.Addr.pageAddress((int) a0);
        rg = g0;
      }
      case VIRT_TO_PFN, VIRT_TO_PAGE -> {
        r = gmemsim.model.dmap.Addr.virtToPfn(a0);
        rg = g0;
      }
      case PTE_PRESENT -> r = a0 >= 0 ? 1 : 0;
      case PTE_NONE -> r = a0 == gmemsim.model.mm.UserMm.PTE_NONE ? 1 : 0;
      case IS_MIGRATION_ENTRY -> r = a0 == gmemsim.model.mm.UserMm.PTE_MIGRATION ? 1 : 0;
      case PTE_PFN, PTE_PAGE -> {
        r = a0;
        rg = g0;
      }
      case GET_RANDOM_U32_BELOW -> r = ctx.choose((int) a0);
      case INSN_BEGIN -> {
        insn = true;
        // The CPU model's access function began the instruction; its caller is the kernel function
        // the instruction belongs to (an oops report's RIP).
        insnFn = depth > 0 ? frameFn[depth - 1] : frameFn[depth];
      }
      case INSN_END -> {
        insn = false;
        if (env.component(ctx.self()) instanceof InstructionBoundary cpu) cpu.retired(ctx);
      }
      case DIRECT_MAP -> {
        int d = env.singletonOf(gmemsim.model.dmap.DirectMap.class);
        if (d < 0) throw new IllegalStateException("__direct_map(): this machine has no direct map");
        r = gmemsim.model.prim.Handles.of(d);
      }
      case DIRECT_MAP_FAULT -> {
        int pfn = gmemsim.model.dmap.Addr.virtToPfn(a0);
        String what = insnFn >= 0 ? fns[insnFn].name : fn.name;
        ctx.emit(new gmemsim.model.mm.MmEvents.DirectMapFault(ctx.name(ctx.self()), pfn, what));
        if (ctx.tracing()) ctx.note("#PF in " + what + "(" + gmemsim.model.dmap.Addr.hexVa(a0) + "): oops");
      }
      case GUEST_DATA -> r = gmemsim.model.mm.PageTag.guestPrivate((int) a0);
      case KERNEL_DATA -> r = gmemsim.model.mm.PageTag.kernel(ctx.self());
      case EXPECT_VALUE -> {
        if (a1 >= 0 && a0 != a1) {
          String op = site(v[base + 2], fn);
          ctx.emit(new KernelEvents.UnexpectedResult(ctx.name(ctx.self()), op, Long.toString(a1), a0));
          if (ctx.tracing()) ctx.note("the program expected " + a1 + " and got " + a0);
        }
      }
      case EXPECT_DATA -> {
        if (a1 >= 0 && !gmemsim.model.mm.PageTag.reads((int) a0, (int) a1)) {
          String op = site(v[base + 2], fn);
          String want = a1 == 0 ? "zeros" : "0x" + Long.toHexString(a1);
          String got = gmemsim.model.mm.PageTag.describe((int) a0, ctx::name);
          ctx.emit(new KernelEvents.UnexpectedData(ctx.name(ctx.self()), op, (int) v[base + 3], want, got));
          if (ctx.tracing()) ctx.note("the program expected " + want + " and read " + got);
        }
      }
      case GHOST_HOLDER -> {
        if (!gmemsim.model.prim.Handles.isHandle(a0)) throw new IllegalStateException("__ghost_holder() of a value that is no kernel object");
        holderNext = gmemsim.model.prim.Handles.component(a0);
      }
      case MAKE_TASK_DEAD, VCPU_STOP -> {
        if (ctx.tracing()) ctx.note(b == Builtin.VCPU_STOP ? "the VM stops: this vCPU runs nothing more" : "make_task_dead(): the oops ends the task");
        if (task != null) task.kill();
        return -1;
      }
      case ABI_FAILURE -> ctx.emit(new KernelEvents.AbiFailure(ctx.name(ctx.self()), format(v, base + 1, n - 1), a0));
      case GUEST_MAPPED -> {
        long[] held = beliefs.coveringWithOrder(a1);
        if (task != null && held != null) {
          task.map((int) a0, new gmemsim.model.thread.Task.Mapped((int) a1, (int) held[0], (int) held[2], held[1]));
        }
      }
      case GUEST_PAGE -> {
        gmemsim.model.thread.Task.Mapped m = task == null ? null : task.mapped((int) a0);
        if (m != null) {
          beliefs.add(m.folio(), m.order(), m.gen());
          r = m.pfn();
        }
      }
      case GUEST_UNMAPPED -> {
        long[] held = beliefs.covering(a0);
        if (held != null) beliefs.remove(held[0]);
      }
    }
    v[base] = r;
    g[base] = rg;
    return base + 1;
  }

  /** The program operation an __expect_*() builtin's site argument names (its function when no task runs it). */
  private String site(long index, Fn fn) {
    return task == null ? fn.name : task.site((int) index);
  }

  /** A pr_*() message with its %-conversions filled from the arguments. */
  private String format(long[] v, int base, int n) {
    long f = v[base];
    String fmt = f < 0 ? env.program().string((int) (-1 - f)) : Long.toString(f);
    StringBuilder sb = new StringBuilder();
    int k = 1;
    for (int i = 0; i < fmt.length(); i++) {
      char c = fmt.charAt(i);
      if (c == '%' && i + 1 < fmt.length()) {
        int j = i + 1;
        while (j < fmt.length() && "0123456789lhz#".indexOf(fmt.charAt(j)) >= 0) j++;
        if (j < fmt.length() && k < n) {
          char conv = fmt.charAt(j);
          long a = v[base + k++];
          sb.append(conv == 'x' || conv == 'p' ? "0x" + Long.toHexString(a) : conv == 'd' || conv == 'u' || conv == 'i'
              ? Long.toString(a) : "?");
          i = j;
          continue;
        }
      }
      sb.append(c);
    }
    return sb.toString().strip();
  }

  public boolean interruptible() {
    return irqOff == 0 && preemptOff == 0;
  }

  /** Inside __insn_begin() .. __insn_end(): an IPI waits until the instruction retires. */
  public boolean inInstruction() {
    return insn;
  }

  /** The executor learns of a retired instruction from __insn_end() itself, not from a reply. */
  public boolean replyEndsInstruction(gmemsim.model.thread.ThreadProtocol.Ret r) {
    return false;
  }

  /** "kvm_gmem_get_pfn (virt/kvm/guest_memfd.c:712) > __filemap_get_folio (mm/filemap.c:1940)". */
  public String where() {
    if (depth < 0) return "done";
    StringBuilder sb = new StringBuilder();
    for (int d = 0; d <= depth; d++) {
      Fn fn = fns[frameFn[d]];
      int pc = d == depth ? framePc[d] : framePc[d];
      Pos at = fn.posAt[Math.max(0, Math.min(pc, fn.posAt.length) - 1)];
      if (d > 0) sb.append(" > ");
      sb.append(fn.name).append(" (").append(at.fileLine()).append(')');
    }
    return sb.toString();
  }

  /** The frames of the step in flight, outermost first: {function, line}; null when none is. */
  public String[][] frames() {
    if (depth < 0) return null;
    String[][] out = new String[depth + 1][];
    for (int d = 0; d <= depth; d++) {
      Fn fn = fns[frameFn[d]];
      Pos at = fn.posAt[Math.max(0, Math.min(framePc[d], fn.posAt.length) - 1)];
      out[d] = new String[] {fn.name, Integer.toString(at.line())};
    }
    return out;
  }

  /** Where the step in flight was sent from: {function, "file:line", the line}; null when none is. */
  public String[] site() {
    if (depth < 0) return null;
    Fn fn = fns[frameFn[depth]];
    Pos at = fn.posAt[Math.max(0, Math.min(framePc[depth], fn.posAt.length) - 1)];
    return new String[] {fn.name, at.fileLine(), at.file().line(at.line()).strip()};
  }

  /** The errno name of the result, for trace notes. */
  public String resultName() {
    return Errno.name(result);
  }
}
