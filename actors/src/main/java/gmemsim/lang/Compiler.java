package gmemsim.lang;

import gmemsim.lang.Ast.Expr;
import gmemsim.lang.Ast.Stmt;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compiles kernel source files, layer over layer, into a {@link Program}: every name resolved,
 * every call checked against its callee, every function checked for an end it can fall off.
 * Layers come in order (built-in files, a knob's variant files, a scenario's patch files): a
 * function or constant in a later layer replaces the one of the same name below it; within one
 * layer a name may be defined once.
 */
public final class Compiler {
  /** One layer of source files. */
  public record Layer(String name, List<SourceFile> files) {}

  private final Externals ext;
  private final Map<String, Ast.Func> funcs = new LinkedHashMap<>();
  private final Map<String, Integer> fnIndex = new HashMap<>();
  private final Map<String, Ast.Define> defines = new HashMap<>();
  private final Map<String, Long> defineValues = new HashMap<>();
  private final Map<String, SourceFile.Origin> origins = new HashMap<>();
  private final Map<String, String> replaced = new LinkedHashMap<>();
  private final List<Site> sites = new ArrayList<>();
  private final List<Site> blocks = new ArrayList<>();
  private final List<String> strings = new ArrayList<>();
  private final List<String> evaluating = new ArrayList<>();

  private Compiler(Externals ext) {
    this.ext = ext;
  }

  public static Program compile(List<Layer> layers, Externals ext) {
    return new Compiler(ext).run(layers);
  }

  private Program run(List<Layer> layers) {
    for (Layer l : layers) {
      Map<String, Pos> here = new HashMap<>();
      for (SourceFile f : l.files()) {
        Ast.Unit u = Parser.parse(f);
        for (Ast.Define d : u.defines()) {
          Pos first = here.put("#" + d.name(), d.pos());
          if (first != null) throw new KcException(d.pos(), d.name() + " is defined twice in " + l.name() + " (first at " + first + ")");
          defines.put(d.name(), d);
        }
        for (Ast.Func fn : u.funcs()) {
          if (fn.body() == null) continue;
          Pos first = here.put(fn.name(), fn.pos());
          if (first != null) {
            throw new KcException(fn.pos(), fn.name() + "() is defined twice in " + l.name() + " (first at " + first + ")");
          }
          if (ext.extern(fn.name()) != null) {
            throw new KcException(fn.pos(), fn.name() + "() is a primitive (one atomic step on the owner of its state): a"
                + " source function cannot replace it; `gmemsim list` prints the primitives");
          }
          Ast.Func old = funcs.put(fn.name(), fn);
          if (old != null) replaced.put(fn.name(), old.pos().fileLine());
          origins.put(fn.name(), f.origin());
        }
      }
    }
    int i = 0;
    for (String n : funcs.keySet()) fnIndex.put(n, i++);
    for (Ast.Define d : defines.values()) defineValue(d.name(), d.pos());
    List<Fn> out = new ArrayList<>();
    for (Ast.Func f : funcs.values()) out.add(new FnCompiler(f).compile());
    List<Fn> expanded = Inliner.expand(out);
    // Sites and blocks name the function whose source they are in: the expanded one, when it changed.
    Map<Fn, Fn> now = new HashMap<>();
    for (int j = 0; j < out.size(); j++) now.put(out.get(j), expanded.get(j));
    sites.replaceAll(s -> s == null ? null : new Site(s.id(), now.get(s.fn()), s.pos(), s.what()));
    blocks.replaceAll(s -> s == null ? null : new Site(s.id(), now.get(s.fn()), s.pos(), s.what()));
    return new Program(expanded, sites, blocks, strings, replaced);
  }

  // ---- constants

  private long defineValue(String name, Pos usedAt) {
    Long v = defineValues.get(name);
    if (v != null) return v;
    Ast.Define d = defines.get(name);
    if (evaluating.contains(name)) throw new KcException(d.pos(), "#define " + name + " refers to itself");
    evaluating.add(name);
    Long c = constant(d.value());
    evaluating.remove(name);
    if (c == null) throw new KcException(d.pos(), "#define " + name + ": not an integer constant expression");
    defineValues.put(name, c);
    return c;
  }

  /** The value of a constant expression, or null if it is not one. */
  private Long constant(Expr e) {
    if (e instanceof Ast.Num n) return n.value();
    if (e instanceof Ast.Name n) {
      if (defines.containsKey(n.name())) return defineValue(n.name(), n.pos());
      return ext.constant(n.name());
    }
    if (e instanceof Ast.Cast c) return constant(c.e());
    if (e instanceof Ast.Unary u) {
      Long v = constant(u.e());
      if (v == null) return null;
      return switch (u.op()) {
        case "-" -> -v;
        case "!" -> v == 0 ? 1L : 0L;
        case "~" -> ~v;
        default -> v;
      };
    }
    if (e instanceof Ast.Binary b && !b.op().equals("&&") && !b.op().equals("||")) {
      Long l = constant(b.l());
      Long r = constant(b.r());
      if (l == null || r == null) return null;
      if ((b.op().equals("/") || b.op().equals("%")) && r == 0) throw new KcException(b.pos(), "division by zero");
      return binary(b.op(), l, r);
    }
    if (e instanceof Ast.Binary b) {
      Long l = constant(b.l());
      Long r = constant(b.r());
      if (l == null || r == null) return null;
      return b.op().equals("&&") ? (l != 0 && r != 0 ? 1L : 0L) : (l != 0 || r != 0 ? 1L : 0L);
    }
    if (e instanceof Ast.Cond c) {
      Long k = constant(c.c());
      if (k == null) return null;
      return constant(k != 0 ? c.a() : c.b());
    }
    return null;
  }

  /** C's binary operators on 64-bit values (what the interpreter does too). */
  public static long binary(String op, long l, long r) {
    return switch (op) {
      case "+" -> l + r;
      case "-" -> l - r;
      case "*" -> l * r;
      case "/" -> l / r;
      case "%" -> l % r;
      case "<<" -> l << r;
      case ">>" -> l >> r;
      case "&" -> l & r;
      case "|" -> l | r;
      case "^" -> l ^ r;
      case "==" -> l == r ? 1 : 0;
      case "!=" -> l != r ? 1 : 0;
      case "<" -> l < r ? 1 : 0;
      case "<=" -> l <= r ? 1 : 0;
      case ">" -> l > r ? 1 : 0;
      case ">=" -> l >= r ? 1 : 0;
      default -> throw new IllegalArgumentException(op);
    };
  }

  private static int opcode(String op) {
    return switch (op) {
      case "+" -> Op.ADD;
      case "-" -> Op.SUB;
      case "*" -> Op.MUL;
      case "/" -> Op.DIV;
      case "%" -> Op.MOD;
      case "<<" -> Op.SHL;
      case ">>" -> Op.SHR;
      case "&" -> Op.AND;
      case "|" -> Op.OR;
      case "^" -> Op.XOR;
      case "==" -> Op.EQ;
      case "!=" -> Op.NE;
      case "<" -> Op.LT;
      case "<=" -> Op.LE;
      case ">" -> Op.GT;
      case ">=" -> Op.GE;
      default -> throw new IllegalArgumentException(op);
    };
  }

  private static String suggest(String wrong, Collection<String> known) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String k : new TreeSet<>(known)) {
      int d = gmemsim.util.Suggest.distance(wrong, k);
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    return best != null && bestD <= Math.max(2, wrong.length() / 3) ? " (did you mean '" + best + "'?)" : "";
  }

  // ---- one function

  private record Local(int slot, Type type) {}

  private final class Label {
    int pc = -1;
    Pos definedAt;
    final List<Integer> fixups = new ArrayList<>();
    Pos firstUse;
  }

  private final class Loop {
    final Label brk = new Label();
    final Label cont;
    final boolean isSwitch;

    Loop(boolean isSwitch) {
      this.isSwitch = isSwitch;
      this.cont = isSwitch ? null : new Label();
    }
  }

  private record PendingSite(int id, Pos pos, String what) {}

  private final class FnCompiler {
    private final Ast.Func f;
    private int[] code = new int[64];
    private int n;
    private final List<Long> consts = new ArrayList<>();
    private final Map<Long, Integer> constIndex = new HashMap<>();
    private Pos[] posAt = new Pos[64];
    private Pos cur;
    private int depth;
    private int maxDepth;
    private int slots;
    private final List<Map<String, Local>> scopes = new ArrayList<>();
    private final Map<String, Label> labels = new LinkedHashMap<>();
    private final List<Loop> loops = new ArrayList<>();
    private final List<PendingSite> mySites = new ArrayList<>();
    private final List<PendingSite> myBlocks = new ArrayList<>();
    private boolean needCount = true;
    private final List<Integer> noReturnAt = new ArrayList<>();

    FnCompiler(Ast.Func f) {
      this.f = f;
      this.cur = f.pos();
    }

    Fn compile() {
      scopes.add(new LinkedHashMap<>());
      List<String> params = new ArrayList<>();
      for (Ast.Param p : f.params()) {
        if (p.type().isVoid()) throw new KcException(p.pos(), "parameter " + p.name() + " has type void");
        declare(p.name(), p.type(), p.pos());
        params.add(p.name());
      }
      block(f.body(), false);
      cur = f.body().end();
      int end = n;
      emit(Op.RETV);
      for (Map.Entry<String, Label> e : labels.entrySet()) {
        if (e.getValue().pc < 0) {
          throw new KcException(e.getValue().firstUse, "goto " + e.getKey() + ": the label is never defined in " + f.name() + "()"
              + suggest(e.getKey(), labels.entrySet().stream().filter(x -> x.getValue().pc >= 0).map(Map.Entry::getKey).toList()));
        }
        for (int at : e.getValue().fixups) code[at] = e.getValue().pc;
      }
      boolean returnsValue = !f.ret().isVoid();
      if (returnsValue && reachable()[end]) {
        throw new KcException(f.body().end(), f.name() + "() can reach its end without returning a value");
      }
      int[] c = java.util.Arrays.copyOf(code, n);
      long[] k = consts.stream().mapToLong(Long::longValue).toArray();
      Fn fn = new Fn(f.name(), f.pos(), origins.get(f.name()), params, returnsValue, slots, maxDepth, c,
          k, java.util.Arrays.copyOf(posAt, n));
      for (PendingSite s : mySites) sites.set(s.id(), new Site(s.id(), fn, s.pos(), s.what()));
      for (PendingSite s : myBlocks) blocks.set(s.id(), new Site(s.id(), fn, s.pos(), s.what()));
      return fn;
    }

    /** Which instructions can run: an end that can is a non-void function falling off its end. */
    private boolean[] reachable() {
      boolean[] seen = new boolean[n + 1];
      java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
      work.add(0);
      while (!work.isEmpty()) {
        int pc = work.poll();
        if (pc >= n || seen[pc]) continue;
        seen[pc] = true;
        int op = code[pc];
        int next = pc + 1 + Op.operands(op);
        switch (op) {
          case Op.JMP -> work.add(code[pc + 1]);
          case Op.JZ, Op.JNZ -> {
            work.add(code[pc + 1]);
            work.add(next);
          }
          case Op.RET, Op.RETV -> { }
          default -> {
            if (!noReturnAt.contains(pc)) work.add(next);
          }
        }
      }
      return seen;
    }

    // ---- emission

    private void emit(int op, int... operands) {
      if (n + 1 + operands.length >= code.length) {
        code = java.util.Arrays.copyOf(code, code.length * 2);
        posAt = java.util.Arrays.copyOf(posAt, posAt.length * 2);
      }
      posAt[n] = cur;
      code[n++] = op;
      for (int o : operands) {
        posAt[n] = cur;
        code[n++] = o;
      }
      depth += switch (op) {
        case Op.CONST, Op.LOAD, Op.ADDR, Op.DUP -> 1;
        case Op.STORE, Op.POP, Op.JZ, Op.JNZ, Op.RET, Op.STOREIK -> -1;
        case Op.STOREI -> -2;
        case Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD, Op.SHL, Op.SHR, Op.AND, Op.OR, Op.XOR, Op.EQ, Op.NE, Op.LT, Op.LE,
            Op.GT, Op.GE -> -1;
        case Op.CALL -> 1 - operands[1];
        case Op.CALLX -> 1 - operands[1];
        default -> 0;
      };
      maxDepth = Math.max(maxDepth, depth);
    }

    private void constant(long v) {
      Integer k = constIndex.get(v);
      if (k == null) {
        k = consts.size();
        consts.add(v);
        constIndex.put(v, k);
      }
      emit(Op.CONST, k);
    }

    private void jump(int op, Label l) {
      emit(op, l.pc);
      if (l.pc < 0) l.fixups.add(n - 1);
      if (l.firstUse == null) l.firstUse = cur;
    }

    private void place(Label l) {
      l.pc = n;
      fix(l);
      needCount = true;
    }

    private void count(Pos at, String what) {
      if (!needCount) return;
      needCount = false;
      int id = blocks.size();
      blocks.add(null);
      myBlocks.add(new PendingSite(id, at, what));
      Pos saved = cur;
      cur = at;
      emit(Op.COUNT, id);
      cur = saved;
    }

    // ---- scopes

    private void declare(String name, Type t, Pos at) {
      Map<String, Local> scope = scopes.get(scopes.size() - 1);
      if (scope.containsKey(name)) throw new KcException(at, name + " is declared twice in this block");
      scope.put(name, new Local(slots++, t));
    }

    private Local local(String name) {
      for (int i = scopes.size() - 1; i >= 0; i--) {
        Local l = scopes.get(i).get(name);
        if (l != null) return l;
      }
      return null;
    }

    private List<String> visibleNames() {
      List<String> out = new ArrayList<>();
      for (Map<String, Local> s : scopes) out.addAll(s.keySet());
      out.addAll(defines.keySet());
      out.addAll(ext.names());
      return out;
    }

    // ---- statements

    private void block(Ast.Block b, boolean scoped) {
      if (scoped) scopes.add(new LinkedHashMap<>());
      for (Stmt s : b.stmts()) statement(s);
      if (scoped) scopes.remove(scopes.size() - 1);
    }

    private void statement(Stmt s) {
      cur = s.pos();
      if (!(s instanceof Ast.Block) && !(s instanceof Ast.Labeled) && !(s instanceof Ast.Case) && !(s instanceof Ast.Empty)) {
        count(s.pos(), describe(s));
      }
      if (s instanceof Ast.Block b) {
        block(b, true);
      } else if (s instanceof Ast.VarDecl d) {
        if (d.type().isVoid()) throw new KcException(d.pos(), d.name() + " is declared void");
        if (d.init() != null) {
          Type t = value(d.init(), "the value of " + d.name());
          declare(d.name(), d.type(), d.pos());
          checkAssignable(d.type(), t, d.init().pos(), d.name());
          emit(Op.STORE, local(d.name()).slot());
        } else {
          declare(d.name(), d.type(), d.pos());
          // C leaves it undefined; the model starts every local at 0 so a run never depends on a
          // previous frame's leftovers.
          constant(0);
          emit(Op.STORE, local(d.name()).slot());
        }
      } else if (s instanceof Ast.ExprStmt e) {
        effect(e.e());
      } else if (s instanceof Ast.If i) {
        Label els = new Label();
        Label end = new Label();
        condFalse(i.cond(), els);
        needCount = true;
        statement(i.then());
        if (i.els() != null) {
          jump(Op.JMP, end);
          place(els);
          statement(i.els());
        } else {
          place(els);
        }
        place(end);
      } else if (s instanceof Ast.While w) {
        Loop l = new Loop(false);
        Label top = new Label();
        place(top);
        place(l.cont);
        condFalse(w.cond(), l.brk);
        needCount = true;
        loops.add(l);
        statement(w.body());
        loops.remove(loops.size() - 1);
        jump(Op.JMP, top);
        fix(top);
        place(l.brk);
        fix(l.cont);
        fix(l.brk);
      } else if (s instanceof Ast.DoWhile d) {
        Loop l = new Loop(false);
        Label top = new Label();
        place(top);
        loops.add(l);
        statement(d.body());
        loops.remove(loops.size() - 1);
        place(l.cont);
        cur = d.cond().pos();
        condTrue(d.cond(), top);
        fix(top);
        place(l.brk);
        fix(l.cont);
        fix(l.brk);
      } else if (s instanceof Ast.For fo) {
        scopes.add(new LinkedHashMap<>());
        if (fo.init() != null) statement(fo.init());
        Loop l = new Loop(false);
        Label top = new Label();
        place(top);
        if (fo.cond() != null) condFalse(fo.cond(), l.brk);
        needCount = true;
        loops.add(l);
        statement(fo.body());
        loops.remove(loops.size() - 1);
        place(l.cont);
        if (fo.step() != null) {
          cur = fo.step().pos();
          count(fo.step().pos(), "the step of the for loop");
          effect(fo.step());
        }
        jump(Op.JMP, top);
        fix(top);
        place(l.brk);
        fix(l.cont);
        fix(l.brk);
        scopes.remove(scopes.size() - 1);
      } else if (s instanceof Ast.Return r) {
        if (r.value() == null) {
          if (!f.ret().isVoid()) throw new KcException(r.pos(), f.name() + "() returns " + f.ret() + ": 'return;' needs a value");
          emit(Op.RETV);
        } else {
          if (f.ret().isVoid()) throw new KcException(r.pos(), f.name() + "() returns void: 'return' takes no value");
          value(r.value(), "the value returned");
          emit(Op.RET);
        }
      } else if (s instanceof Ast.Goto g) {
        Label l = labels.computeIfAbsent(g.label(), x -> new Label());
        jump(Op.JMP, l);
      } else if (s instanceof Ast.Labeled l) {
        Label lab = labels.computeIfAbsent(l.label(), x -> new Label());
        if (lab.definedAt != null) throw new KcException(l.pos(), "label " + l.label() + " is defined twice (first at " + lab.definedAt + ")");
        lab.definedAt = l.pos();
        place(lab);
        statement(l.stmt());
      } else if (s instanceof Ast.Break b) {
        if (loops.isEmpty()) throw new KcException(b.pos(), "break outside a loop or switch");
        jump(Op.JMP, loops.get(loops.size() - 1).brk);
      } else if (s instanceof Ast.Continue c) {
        Loop l = null;
        for (int i = loops.size() - 1; i >= 0 && l == null; i--) if (!loops.get(i).isSwitch) l = loops.get(i);
        if (l == null) throw new KcException(c.pos(), "continue outside a loop");
        jump(Op.JMP, l.cont);
      } else if (s instanceof Ast.Switch sw) {
        switchStmt(sw);
      } else if (s instanceof Ast.Case c) {
        throw new KcException(c.pos(), (c.value() == null ? "default" : "case") + " outside the body of a switch (a case label nested in a block is outside the subset)");
      } else if (s instanceof Ast.Empty e) {
      }
    }

    private String describe(Stmt s) {
      if (s instanceof Ast.If) return "if";
      if (s instanceof Ast.Return) return "return";
      if (s instanceof Ast.Goto g) return "goto " + g.label();
      return "";
    }

    private void fix(Label l) {
      for (int at : l.fixups) code[at] = l.pc;
      l.fixups.clear();
    }

    private void switchStmt(Ast.Switch sw) {
      Type t = value(sw.value(), "the value of switch");
      if (t.isStructPointer()) throw new KcException(sw.value().pos(), "switch on a struct pointer");
      scopes.add(new LinkedHashMap<>());
      int tmp = slots++;
      emit(Op.STORE, tmp);
      List<Label> targets = new ArrayList<>();
      Label dflt = null;
      Map<Long, Pos> seen = new HashMap<>();
      for (Stmt s : sw.body().stmts()) {
        if (s instanceof Ast.Case c) {
          Label target = new Label();
          targets.add(target);
          if (c.value() == null) {
            if (dflt != null) throw new KcException(c.pos(), "two default labels in one switch");
            dflt = target;
            continue;
          }
          Long v = Compiler.this.constant(c.value());
          if (v == null) throw new KcException(c.value().pos(), "case needs an integer constant");
          Pos first = seen.put(v, c.pos());
          if (first != null) throw new KcException(c.pos(), "case " + v + " appears twice (first at " + first + ")");
          cur = c.pos();
          emit(Op.LOAD, tmp);
          constant(v);
          emit(Op.EQ);
          jump(Op.JNZ, target);
        }
      }
      Loop l = new Loop(true);
      jump(Op.JMP, dflt != null ? dflt : l.brk);
      loops.add(l);
      int k = 0;
      for (Stmt s : sw.body().stmts()) {
        if (s instanceof Ast.Case) {
          place(targets.get(k++));
          continue;
        }
        statement(s);
      }
      loops.remove(loops.size() - 1);
      for (Label target : targets) fix(target);
      place(l.brk);
      fix(l.brk);
      scopes.remove(scopes.size() - 1);
    }

    // ---- conditions

    private Long constantCond(Expr e) {
      try {
        return Compiler.this.constant(e);
      } catch (KcException x) {
        return null;
      }
    }

    /** Jumps to l when e is false; falls through when true. */
    private void condFalse(Expr e, Label l) {
      Long k = constantCond(e);
      if (k != null) {
        if (k == 0) jump(Op.JMP, l);
        return;
      }
      if (e instanceof Ast.Unary u && u.op().equals("!")) {
        condTrue(u.e(), l);
      } else if (e instanceof Ast.Binary b && b.op().equals("&&")) {
        condFalse(b.l(), l);
        condFalse(b.r(), l);
      } else if (e instanceof Ast.Binary b && b.op().equals("||")) {
        Label t = new Label();
        condTrue(b.l(), t);
        condFalse(b.r(), l);
        place(t);
        fix(t);
        needCount = false;
      } else {
        value(e, "a condition");
        jump(Op.JZ, l);
      }
    }

    /** Jumps to l when e is true; falls through when false. */
    private void condTrue(Expr e, Label l) {
      Long k = constantCond(e);
      if (k != null) {
        if (k != 0) jump(Op.JMP, l);
        return;
      }
      if (e instanceof Ast.Unary u && u.op().equals("!")) {
        condFalse(u.e(), l);
      } else if (e instanceof Ast.Binary b && b.op().equals("||")) {
        condTrue(b.l(), l);
        condTrue(b.r(), l);
      } else if (e instanceof Ast.Binary b && b.op().equals("&&")) {
        Label f = new Label();
        condFalse(b.l(), f);
        condTrue(b.r(), l);
        place(f);
        fix(f);
        needCount = false;
      } else {
        value(e, "a condition");
        jump(Op.JNZ, l);
      }
    }

    // ---- expressions

    /** Compiles e for its effect only (an expression statement). */
    private void effect(Expr e) {
      cur = e.pos();
      if (e instanceof Ast.Assign a) {
        assign(a, false);
      } else if (e instanceof Ast.IncDec i) {
        incDec(i, false);
      } else {
        Type t = expr(e);
        emit(Op.POP);
        if (t == null) throw new IllegalStateException();
      }
    }

    /** Compiles e for its value; a void call is an error naming what needed the value. */
    private Type value(Expr e, String what) {
      Type t = expr(e);
      if (t.isVoid()) throw new KcException(e.pos(), what + " is a call of a function that returns void");
      return t;
    }

    private void checkAssignable(Type to, Type from, Pos at, String name) {
      if (to.isStructPointer() && from.isStructPointer() && !to.base().equals(from.base())) {
        throw new KcException(at, name + " is " + to + " but the value is " + from);
      }
    }

    private Type expr(Expr e) {
      Pos saved = cur;
      cur = e.pos();
      try {
        return exprAt(e);
      } finally {
        cur = saved;
      }
    }

    private Type exprAt(Expr e) {
      Long k = e instanceof Ast.Num || e instanceof Ast.Unary || e instanceof Ast.Binary ? constantCond(e) : null;
      if (k != null) {
        constant(k);
        return Type.LONG;
      }
      if (e instanceof Ast.Num num) {
        constant(num.value());
        return Type.LONG;
      } else if (e instanceof Ast.Str s) {
        throw new KcException(s.pos(), "a string is only an argument of a message (pr_info, WARN, ...)");
      } else if (e instanceof Ast.Name nm) {
        Local l = local(nm.name());
        if (l != null) {
          emit(Op.LOAD, l.slot());
          return l.type();
        }
        if (defines.containsKey(nm.name())) {
          constant(defineValue(nm.name(), nm.pos()));
          return Type.LONG;
        }
        Long c = ext.constant(nm.name());
        if (c != null) {
          constant(c);
          return nm.name().equals("NULL") ? new Type("void", 1) : Type.LONG;
        }
        if (fnIndex.containsKey(nm.name()) || ext.extern(nm.name()) != null) {
          throw new KcException(nm.pos(), nm.name() + " is a function: call it (function pointers are outside the subset)");
        }
        throw new KcException(nm.pos(), "unknown name '" + nm.name() + "'" + suggest(nm.name(), visibleNames()));
      } else if (e instanceof Ast.Call c) {
        return call(c);
      } else if (e instanceof Ast.Unary u) {
        value(u.e(), "the operand of " + u.op());
        switch (u.op()) {
          case "-" -> emit(Op.NEG);
          case "!" -> emit(Op.NOT);
          case "~" -> emit(Op.BNOT);
          default -> { }
        }
        return u.op().equals("!") ? Type.BOOL : Type.LONG;
      } else if (e instanceof Ast.AddrOf a) {
        return addressOf(a);
      } else if (e instanceof Ast.Deref d) {
        Type t = value(d.e(), "the pointer");
        if (t.pointers() == 0) throw new KcException(d.pos(), "* of a value that is not a pointer (" + t + ")");
        if (t.isStructPointer()) throw new KcException(d.pos(), "* of " + t + ": read a kernel object's fields with ->");
        emit(Op.LOADI);
        return t.pointee();
      } else if (e instanceof Ast.Binary b) {
        if (b.op().equals("&&") || b.op().equals("||")) {
          Label f = new Label();
          Label end = new Label();
          condFalse(e, f);
          constant(1);
          jump(Op.JMP, end);
          depth--;
          place(f);
          fix(f);
          constant(0);
          place(end);
          fix(end);
          needCount = false;
          return Type.BOOL;
        }
        Type l = value(b.l(), "the left of " + b.op());
        value(b.r(), "the right of " + b.op());
        cur = b.pos();
        emit(opcode(b.op()));
        return switch (b.op()) {
          case "==", "!=", "<", "<=", ">", ">=" -> Type.BOOL;
          case "+", "-" -> l.pointers() > 0 && !l.isStructPointer() ? l : Type.LONG;
          default -> Type.LONG;
        };
      } else if (e instanceof Ast.Assign a) {
        return assign(a, true);
      } else if (e instanceof Ast.IncDec i) {
        return incDec(i, true);
      } else if (e instanceof Ast.Cond c) {
        Label els = new Label();
        Label end = new Label();
        condFalse(c.c(), els);
        Type t = value(c.a(), "the first branch of ?:");
        jump(Op.JMP, end);
        depth--;
        place(els);
        fix(els);
        value(c.b(), "the second branch of ?:");
        place(end);
        fix(end);
        needCount = false;
        return t;
      } else if (e instanceof Ast.Field fl) {
        FieldRef r = field(fl);
        if (r.field().addressOnly()) {
          throw new KcException(fl.pos(), "struct " + r.struct() + "'s " + r.field().path() + " is a lock: pass its address"
              + " (&obj->" + r.field().path() + ") to a lock primitive");
        }
        emit(Op.FIELD, r.field().id());
        return r.field().type();
      } else if (e instanceof Ast.Cast c) {
        Type t = expr(c.e());
        if (t.isVoid() && !c.type().isVoid()) throw new KcException(c.pos(), "a cast of a void call");
        return c.type().isVoid() ? Type.LONG : c.type();
      }
      throw new IllegalStateException("unknown expression " + e);
    }

    private record FieldRef(String struct, Externals.StructField field) {}

    /** Compiles the object of a field access (pushes the handle) and resolves the field path. */
    private FieldRef field(Ast.Field fl) {
      List<String> path = new ArrayList<>();
      Expr base = fl;
      while (base instanceof Ast.Field x && !x.arrow()) {
        path.add(0, x.name());
        base = x.obj();
      }
      if (!(base instanceof Ast.Field x)) {
        throw new KcException(fl.pos(), "'.' on a value that is not a struct: kernel objects are reached through pointers (->)");
      }
      path.add(0, x.name());
      Type t = value(x.obj(), "the object of ->");
      if (!t.isStructPointer()) throw new KcException(x.pos(), "-> on a value of type " + t + ", not a struct pointer");
      String p = String.join(".", path);
      Externals.StructField sf = ext.field(t.struct(), p);
      if (sf == null) {
        Collection<String> known = ext.fields(t.struct());
        throw new KcException(x.pos(), known.isEmpty()
            ? "struct " + t.struct() + " has no fields the model knows (its state is read through primitives)"
            : "struct " + t.struct() + " has no field " + p + " the model knows" + suggest(p, known) + "; known: " + new TreeSet<>(known));
      }
      return new FieldRef(t.struct(), sf);
    }

    private Type addressOf(Ast.AddrOf a) {
      if (a.e() instanceof Ast.Name nm) {
        Local l = local(nm.name());
        if (l == null) throw new KcException(a.pos(), "& of " + nm.name() + ": only locals and the fields of kernel objects have an address");
        emit(Op.ADDR, l.slot());
        return l.type().pointerTo();
      }
      if (a.e() instanceof Ast.Field fl) {
        FieldRef r = field(fl);
        emit(Op.FADDR, r.field().id());
        return r.field().type().pointerTo();
      }
      throw new KcException(a.pos(), "& of an expression: only locals and the fields of kernel objects have an address");
    }

    private Type assign(Ast.Assign a, boolean keep) {
      String op = a.op().equals("=") ? null : a.op().substring(0, a.op().length() - 1);
      if (a.target() instanceof Ast.Name nm) {
        Local l = local(nm.name());
        if (l == null) {
          if (defines.containsKey(nm.name()) || ext.constant(nm.name()) != null) {
            throw new KcException(a.pos(), nm.name() + " is a constant: it cannot be assigned");
          }
          throw new KcException(nm.pos(), "unknown variable '" + nm.name() + "'" + suggest(nm.name(), visibleNames()));
        }
        if (op != null) emit(Op.LOAD, l.slot());
        Type t = value(a.value(), "the value assigned to " + nm.name());
        if (op == null) checkAssignable(l.type(), t, a.value().pos(), nm.name());
        cur = a.pos();
        if (op != null) emit(opcode(op));
        emit(keep ? Op.STOREK : Op.STORE, l.slot());
        return l.type();
      }
      if (a.target() instanceof Ast.Deref d) {
        Type pt = value(d.e(), "the pointer");
        if (pt.pointers() == 0 || pt.isStructPointer()) {
          throw new KcException(d.pos(), "*p = ... needs p to point to a local (it is " + pt + ")");
        }
        if (op != null) {
          emit(Op.DUP);
          emit(Op.LOADI);
        }
        value(a.value(), "the value stored");
        cur = a.pos();
        if (op != null) emit(opcode(op));
        emit(keep ? Op.STOREIK : Op.STOREI);
        return pt.pointee();
      }
      if (a.target() instanceof Ast.Field fl) {
        throw new KcException(a.pos(), "an assignment to a kernel object's field (" + fl.name() + "): its state lives in its"
            + " owner, and only a primitive (one step there) writes it");
      }
      throw new KcException(a.pos(), "the left of " + a.op() + " is not a variable");
    }

    private Type incDec(Ast.IncDec i, boolean keep) {
      String op = i.inc() ? "+" : "-";
      if (i.target() instanceof Ast.Name nm) {
        Local l = local(nm.name());
        if (l == null) throw new KcException(nm.pos(), "unknown variable '" + nm.name() + "'" + suggest(nm.name(), visibleNames()));
        emit(Op.LOAD, l.slot());
        if (keep && !i.prefix()) emit(Op.DUP);
        constant(1);
        emit(opcode(op));
        emit(keep && i.prefix() ? Op.STOREK : Op.STORE, l.slot());
        return l.type();
      }
      if (i.target() instanceof Ast.Deref d) {
        if (keep) throw new KcException(i.pos(), "(*p)++ as a value: write it as a statement");
        value(d.e(), "the pointer");
        emit(Op.DUP);
        emit(Op.LOADI);
        constant(1);
        emit(opcode(op));
        emit(Op.STOREI);
        return Type.LONG;
      }
      throw new KcException(i.pos(), (i.inc() ? "++" : "--") + " of something that is not a variable");
    }

    private Type call(Ast.Call c) {
      Integer idx = fnIndex.get(c.fn());
      if (idx != null) {
        Ast.Func callee = funcs.get(c.fn());
        if (callee.params().size() != c.args().size()) {
          throw new KcException(c.pos(), c.fn() + "() takes " + callee.params().size() + " argument"
              + (callee.params().size() == 1 ? "" : "s") + " (" + String.join(", ", callee.params().stream().map(Ast.Param::name).toList())
              + "), given " + c.args().size() + " (defined at " + callee.pos().fileLine() + ")");
        }
        for (int i = 0; i < c.args().size(); i++) {
          value(c.args().get(i), "argument " + (i + 1) + " of " + c.fn() + "()");
        }
        cur = c.pos();
        emit(Op.CALL, idx, c.args().size());
        return callee.ret();
      }
      Extern x = ext.extern(c.fn());
      if (x == null) {
        List<String> known = new ArrayList<>(funcs.keySet());
        known.addAll(ext.names());
        throw new KcException(c.pos(), "unknown function or primitive '" + c.fn() + "'" + suggest(c.fn(), known)
            + "; `gmemsim list` prints what the model knows");
      }
      int np = x.params().size();
      if (c.args().size() != np && !(x.variadic() && c.args().size() >= np)) {
        throw new KcException(c.pos(), c.fn() + "() takes " + (x.variadic() ? "at least " : "") + np + " argument"
            + (np == 1 ? "" : "s") + (np == 0 ? "" : " (" + String.join(", ", x.params()) + ")") + ", given " + c.args().size());
      }
      for (int i = 0; i < c.args().size(); i++) {
        Expr a = c.args().get(i);
        if (a instanceof Ast.Str s) {
          if (!(x.variadic() && i >= np - 1)) {
            throw new KcException(s.pos(), "argument " + (i + 1) + " of " + c.fn() + "() is a string: only a message takes one");
          }
          constant(-1 - strings.size());
          strings.add(s.value());
          continue;
        }
        Type t = value(a, "argument " + (i + 1) + " (" + (i < np ? x.params().get(i) : "...") + ") of " + c.fn() + "()");
        if (i == x.outParam() && (t.pointers() == 0 || t.isStructPointer() && t.pointers() == 1 && !(a instanceof Ast.AddrOf))) {
          throw new KcException(a.pos(), "argument " + (i + 1) + " of " + c.fn() + "() receives a result: pass the address of a"
              + " local (&" + x.params().get(i).replace("*", "") + ")");
        }
      }
      int site = sites.size();
      sites.add(null);
      mySites.add(new PendingSite(site, c.pos(), c.fn()));
      cur = c.pos();
      emit(Op.CALLX, x.id(), c.args().size(), site);
      if (x.noReturn()) noReturnAt.add(n - 4);
      return x.ret();
    }
  }
}
