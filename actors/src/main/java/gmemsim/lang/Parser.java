package gmemsim.lang;

import gmemsim.lang.Ast.Expr;
import gmemsim.lang.Ast.Stmt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser for the kernel C subset: functions with parameters and locals,
 * {@code if}/{@code else}, {@code while}, {@code do}/{@code while}, {@code for}, {@code switch},
 * {@code goto} and labels, {@code return}, calls, C's operators with C's precedence, casts, and
 * {@code ->} on struct pointers. {@code #include} lines are read and ignored; {@code #define NAME
 * value} and {@code enum} give integer constants. Anything else C has is refused with a message
 * that names it.
 */
public final class Parser {
  /** Type names the subset knows besides {@code struct X}; a file may add its own with typedef. */
  private static final Set<String> TYPE_WORDS = Set.of(
      "void", "int", "long", "short", "char", "bool", "unsigned", "signed", "size_t", "ssize_t", "loff_t", "pgoff_t",
      "gfn_t", "gpa_t", "hva_t", "kvm_pfn_t", "pfn_t", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "vm_fault_t",
      "pte_t", "pmd_t", "pgprot_t", "gfp_t", "phys_addr_t", "uintptr_t", "fgf_t", "atomic_t", "spinlock_t");
  /** Words that may stand before or inside a type and change nothing the model sees. */
  private static final Set<String> QUALIFIERS = Set.of(
      "const", "volatile", "static", "inline", "extern", "__always_inline", "noinline", "__must_check", "__init",
      "__weak", "__maybe_unused", "register", "__rcu", "__user", "__iomem", "__cold", "__noreturn", "__kvm_gmem");
  private static final Set<String> REFUSED = Set.of("union", "sizeof", "typeof", "__typeof__", "asm", "__asm__");

  private final List<Token> toks;
  private final SourceFile file;
  private final Set<String> typedefs = new HashSet<>();
  private int p;

  private Parser(SourceFile file) {
    this.file = file;
    this.toks = Lexer.tokens(file);
  }

  public static Ast.Unit parse(SourceFile file) {
    return new Parser(file).unit();
  }

  // ---- tokens

  private Token peek() {
    return toks.get(p);
  }

  private Token peek(int k) {
    return toks.get(Math.min(p + k, toks.size() - 1));
  }

  private Token next() {
    return toks.get(p++);
  }

  private boolean accept(String punct) {
    if (peek().is(punct)) {
      p++;
      return true;
    }
    return false;
  }

  private Token expect(String punct, String where) {
    Token t = peek();
    if (!t.is(punct)) throw new KcException(t.pos(), "expected '" + punct + "' " + where + ", found " + t.show());
    return next();
  }

  private String ident(String what) {
    Token t = peek();
    if (t.kind() != Token.Kind.IDENT) throw new KcException(t.pos(), "expected " + what + ", found " + t.show());
    refuseWord(t);
    return next().text();
  }

  private static void refuseWord(Token t) {
    if (REFUSED.contains(t.text())) {
      throw new KcException(t.pos(), "'" + t.text() + "' is outside the kernel C subset gmemsim reads (docs/ARCHITECTURE.md, \"The kernel language\")");
    }
  }

  // ---- top level

  private Ast.Unit unit() {
    List<Ast.Func> funcs = new ArrayList<>();
    List<Ast.Define> defines = new ArrayList<>();
    while (peek().kind() != Token.Kind.EOF) {
      Token t = peek();
      if (t.kind() == Token.Kind.HASH) {
        directive(defines);
      } else if (t.isWord("typedef")) {
        next();
        Type ty = type();
        String name = ident("the name of the typedef");
        typedefs.add(name);
        expect(";", "after the typedef of " + name + " (" + ty + ")");
      } else if (t.isWord("enum") && (peek(1).is("{") || peek(2).is("{"))) {
        enumDecl(defines);
      } else if (t.isWord("struct") && peek(2).is("{")) {
        throw new KcException(t.pos(), "a struct definition: the model's structs are declared by its state owners, not in source");
      } else if (t.is(";")) {
        next();
      } else {
        funcs.add(function());
      }
    }
    return new Ast.Unit(file, funcs, defines);
  }

  private void directive(List<Ast.Define> defines) {
    next();
    Token d = peek();
    if (d.kind() == Token.Kind.EOL) {
      next();
      return;
    }
    String word = ident("a preprocessor directive after '#'");
    switch (word) {
      case "include", "pragma" -> {
        while (peek().kind() != Token.Kind.EOL) next();
        next();
      }
      case "define" -> {
        Token name = peek();
        String n = ident("the name of the #define");
        Token after = peek();
        if (after.is("(") && after.pos().col() == name.pos().col() + n.length()) {
          throw new KcException(after.pos(), "a function-like macro (" + n + "): write it as a static inline function");
        }
        if (peek().kind() == Token.Kind.EOL) {
          throw new KcException(name.pos(), "#define " + n + " without a value: only integer constants are read");
        }
        Expr v = expr();
        if (peek().kind() != Token.Kind.EOL) {
          throw new KcException(peek().pos(), "#define " + n + ": one integer expression expected, found " + peek().show());
        }
        next();
        defines.add(new Ast.Define(name.pos(), n, v));
      }
      default -> throw new KcException(d.pos(), "#" + word + ": only #include and #define NAME value are read"
          + " (conditional compilation is outside the subset: a variant is a separate file)");
    }
  }

  private void enumDecl(List<Ast.Define> defines) {
    next();
    if (peek().kind() == Token.Kind.IDENT) next();
    expect("{", "to open the enum");
    Expr last = null;
    long k = 0;
    while (!peek().is("}")) {
      Token name = peek();
      String n = ident("an enumerator");
      Expr v;
      if (accept("=")) {
        v = conditional();
        last = v;
        k = 0;
      } else if (last == null) {
        v = new Ast.Num(name.pos(), k);
      } else {
        v = new Ast.Binary(name.pos(), "+", last, new Ast.Num(name.pos(), k));
      }
      k++;
      defines.add(new Ast.Define(name.pos(), n, v));
      if (!accept(",")) break;
    }
    expect("}", "to close the enum");
    expect(";", "after the enum");
  }

  private Ast.Func function() {
    boolean isStatic = peek().isWord("static");
    Type ret = type();
    Token nameTok = peek();
    if (nameTok.kind() != Token.Kind.IDENT) {
      throw new KcException(nameTok.pos(), "expected a function definition, found " + nameTok.show());
    }
    String name = ident("a function name");
    if (!peek().is("(")) {
      throw new KcException(peek().pos(), "'" + name + "': global variables are outside the subset (state lives in its"
          + " owner; read it through a primitive)");
    }
    next();
    List<Ast.Param> params = new ArrayList<>();
    if (peek().isWord("void") && peek(1).is(")")) next();
    if (!peek().is(")")) {
      do {
        Pos pp = peek().pos();
        if (peek().is("...")) throw new KcException(pp, "variadic functions are outside the subset");
        Type t = type();
        String n = ident("a parameter name");
        params.add(new Ast.Param(pp, t, n));
      } while (accept(","));
    }
    expect(")", "to close the parameters of " + name);
    while (peek().kind() == Token.Kind.IDENT && QUALIFIERS.contains(peek().text())) next();
    if (accept(";")) return new Ast.Func(nameTok.pos(), name, ret, params, null, isStatic);
    if (!peek().is("{")) throw new KcException(peek().pos(), "expected '{' to open the body of " + name + ", found " + peek().show());
    return new Ast.Func(nameTok.pos(), name, ret, params, block(), isStatic);
  }

  // ---- types

  private boolean startsType(int k) {
    Token t = peek(k);
    if (t.kind() != Token.Kind.IDENT) return false;
    return TYPE_WORDS.contains(t.text()) || typedefs.contains(t.text()) || QUALIFIERS.contains(t.text())
        || t.text().equals("struct") || t.text().equals("enum");
  }

  private Type type() {
    while (peek().kind() == Token.Kind.IDENT && QUALIFIERS.contains(peek().text())) next();
    Token t = peek();
    String base;
    if (t.isWord("struct") || t.isWord("enum")) {
      next();
      String tag = ident("a " + t.text() + " name");
      base = t.text().equals("enum") ? "int" : "struct " + tag;
    } else if (t.kind() == Token.Kind.IDENT && (TYPE_WORDS.contains(t.text()) || typedefs.contains(t.text()))) {
      StringBuilder sb = new StringBuilder(next().text());
      while (peek().kind() == Token.Kind.IDENT && (TYPE_WORDS.contains(peek().text()) && isIntegerWord(peek().text()))) {
        sb.append(' ').append(next().text());
      }
      base = sb.toString();
    } else {
      refuseWord(t);
      throw new KcException(t.pos(), "expected a type, found " + t.show());
    }
    int ptr = 0;
    while (true) {
      if (accept("*")) ptr++;
      else if (peek().kind() == Token.Kind.IDENT && QUALIFIERS.contains(peek().text())) next();
      else break;
    }
    return new Type(base, ptr);
  }

  private static boolean isIntegerWord(String w) {
    return w.equals("int") || w.equals("long") || w.equals("short") || w.equals("char") || w.equals("unsigned")
        || w.equals("signed");
  }

  // ---- statements

  private Ast.Block block() {
    Token open = expect("{", "to open a block");
    List<Stmt> out = new ArrayList<>();
    while (!peek().is("}")) {
      if (peek().kind() == Token.Kind.EOF) throw new KcException(open.pos(), "this block never ends: '}' is missing");
      statementInto(out);
    }
    Token close = next();
    return new Ast.Block(open.pos(), out, close.pos());
  }

  /** One statement, or the declarations of one declaration line, appended to out. */
  private void statementInto(List<Stmt> out) {
    if (startsType(0)) {
      declarations(out);
      expect(";", "after the declaration");
    } else {
      out.add(statement());
    }
  }

  private void declarations(List<Stmt> out) {
    Type base = type();
    Type t = base;
    while (true) {
      Token name = peek();
      String n = ident("a variable name");
      if (peek().is("[")) throw new KcException(peek().pos(), "arrays are outside the subset (" + n + ")");
      Expr init = accept("=") ? assignment() : null;
      out.add(new Ast.VarDecl(name.pos(), t, n, init));
      if (!accept(",")) return;
      int ptr = 0;
      while (accept("*")) ptr++;
      t = new Type(base.base(), ptr);
    }
  }

  private Stmt statement() {
    Token t = peek();
    Pos pos = t.pos();
    if (t.is("{")) return block();
    if (t.is(";")) {
      next();
      return new Ast.Empty(pos);
    }
    if (t.kind() == Token.Kind.IDENT) {
      switch (t.text()) {
        case "if" -> {
          next();
          expect("(", "after if");
          Expr c = expr();
          expect(")", "to close the condition of if");
          Stmt then = statement();
          Stmt els = null;
          if (peek().isWord("else")) {
            next();
            els = statement();
          }
          return new Ast.If(pos, c, then, els);
        }
        case "while" -> {
          next();
          expect("(", "after while");
          Expr c = expr();
          expect(")", "to close the condition of while");
          return new Ast.While(pos, c, statement());
        }
        case "do" -> {
          next();
          Stmt body = statement();
          if (!peek().isWord("while")) throw new KcException(peek().pos(), "expected 'while' after the body of do, found " + peek().show());
          next();
          expect("(", "after while");
          Expr c = expr();
          expect(")", "to close the condition of do/while");
          expect(";", "after do/while");
          return new Ast.DoWhile(pos, body, c);
        }
        case "for" -> {
          next();
          expect("(", "after for");
          Stmt init = null;
          if (!peek().is(";")) {
            if (startsType(0)) {
              List<Stmt> ds = new ArrayList<>();
              declarations(ds);
              if (ds.size() != 1) throw new KcException(pos, "one declaration in a for loop's header");
              init = ds.get(0);
            } else {
              Expr e = expr();
              init = new Ast.ExprStmt(e.pos(), e);
            }
          }
          expect(";", "after the start of the for loop");
          Expr c = peek().is(";") ? null : expr();
          expect(";", "after the condition of the for loop");
          Expr step = peek().is(")") ? null : expr();
          expect(")", "to close the for loop's header");
          return new Ast.For(pos, init, c, step, statement());
        }
        case "return" -> {
          next();
          Expr v = peek().is(";") ? null : expr();
          expect(";", "after return");
          return new Ast.Return(pos, v);
        }
        case "goto" -> {
          next();
          String label = ident("a label after goto");
          expect(";", "after goto " + label);
          return new Ast.Goto(pos, label);
        }
        case "break" -> {
          next();
          expect(";", "after break");
          return new Ast.Break(pos);
        }
        case "continue" -> {
          next();
          expect(";", "after continue");
          return new Ast.Continue(pos);
        }
        case "switch" -> {
          next();
          expect("(", "after switch");
          Expr v = expr();
          expect(")", "to close the value of switch");
          if (!peek().is("{")) throw new KcException(peek().pos(), "expected '{' after switch (...), found " + peek().show());
          return new Ast.Switch(pos, v, block());
        }
        case "case" -> {
          next();
          Expr v = conditional();
          expect(":", "after case");
          return new Ast.Case(pos, v);
        }
        case "default" -> {
          next();
          expect(":", "after default");
          return new Ast.Case(pos, null);
        }
        case "else" -> throw new KcException(pos, "'else' without an 'if'");
        default -> {
          if (peek(1).is(":")) {
            String label = next().text();
            next();
            // A label may end a block in kernel style ("out: }" is not C, "out: return ret;" is).
            Stmt s = peek().is("}") ? new Ast.Empty(pos) : statement();
            return new Ast.Labeled(pos, label, s);
          }
        }
      }
    }
    Expr e = expr();
    expect(";", "after the expression");
    return new Ast.ExprStmt(pos, e);
  }

  // ---- expressions, by C's precedence

  private Expr expr() {
    Expr e = assignment();
    if (peek().is(",")) throw new KcException(peek().pos(), "the comma operator is outside the subset: write two statements");
    return e;
  }

  private static final Set<String> ASSIGN_OPS = Set.of("=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=");

  private Expr assignment() {
    Expr l = conditional();
    if (peek().kind() == Token.Kind.PUNCT && ASSIGN_OPS.contains(peek().text())) {
      Token op = next();
      Expr r = assignment();
      return new Ast.Assign(op.pos(), op.text(), l, r);
    }
    return l;
  }

  private Expr conditional() {
    Expr c = binary(0);
    if (peek().is("?")) {
      Token q = next();
      Expr a = expr();
      expect(":", "in a conditional expression");
      Expr b = conditional();
      return new Ast.Cond(q.pos(), c, a, b);
    }
    return c;
  }

  private static final String[][] LEVELS = {
    {"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<", "<=", ">", ">="}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}
  };

  private Expr binary(int level) {
    if (level == LEVELS.length) return unary();
    Expr l = binary(level + 1);
    while (true) {
      Token t = peek();
      String op = null;
      if (t.kind() == Token.Kind.PUNCT) for (String o : LEVELS[level]) if (t.text().equals(o)) op = o;
      if (op == null) return l;
      next();
      l = new Ast.Binary(t.pos(), op, l, binary(level + 1));
    }
  }

  private Expr unary() {
    Token t = peek();
    if (t.kind() == Token.Kind.PUNCT) {
      switch (t.text()) {
        case "!", "-", "~", "+" -> {
          next();
          return new Ast.Unary(t.pos(), t.text(), unary());
        }
        case "&" -> {
          next();
          return new Ast.AddrOf(t.pos(), unary());
        }
        case "*" -> {
          next();
          return new Ast.Deref(t.pos(), unary());
        }
        case "++", "--" -> {
          next();
          return new Ast.IncDec(t.pos(), true, t.text().equals("++"), unary());
        }
        case "(" -> {
          if (startsType(1)) {
            next();
            Type ty = type();
            expect(")", "to close the cast to " + ty);
            return new Ast.Cast(t.pos(), ty, unary());
          }
        }
        default -> { }
      }
    }
    return postfix(primary());
  }

  private Expr postfix(Expr e) {
    while (true) {
      Token t = peek();
      if (t.is("->") || t.is(".")) {
        next();
        String f = ident("a field name after " + t.text());
        e = new Ast.Field(t.pos(), e, f, t.is("->"));
      } else if (t.is("++") || t.is("--")) {
        next();
        e = new Ast.IncDec(t.pos(), false, t.is("++"), e);
      } else if (t.is("[")) {
        throw new KcException(t.pos(), "arrays are outside the subset");
      } else if (t.is("(")) {
        throw new KcException(t.pos(), "a call through an expression: only named functions are called");
      } else {
        return e;
      }
    }
  }

  private Expr primary() {
    Token t = next();
    switch (t.kind()) {
      case NUMBER -> {
        return new Ast.Num(t.pos(), t.value());
      }
      case STRING -> {
        StringBuilder sb = new StringBuilder(t.text());
        while (peek().kind() == Token.Kind.STRING) sb.append(next().text());
        return new Ast.Str(t.pos(), sb.toString());
      }
      case IDENT -> {
        refuseWord(t);
        if (peek().is("(")) {
          next();
          List<Expr> args = new ArrayList<>();
          if (!peek().is(")")) {
            do {
              args.add(assignment());
            } while (accept(","));
          }
          expect(")", "to close the arguments of " + t.text());
          return new Ast.Call(t.pos(), t.text(), args);
        }
        return new Ast.Name(t.pos(), t.text());
      }
      case PUNCT -> {
        if (t.is("(")) {
          Expr e = expr();
          expect(")", "to close the parenthesis");
          return e;
        }
        throw new KcException(t.pos(), "expected an expression, found " + t.show());
      }
      default -> throw new KcException(t.pos(), "expected an expression, found " + t.show());
    }
  }
}
