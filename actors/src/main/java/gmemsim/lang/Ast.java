package gmemsim.lang;

import java.util.List;

/** The syntax tree of the kernel C subset, as the parser builds it. */
public final class Ast {
  private Ast() {}

  public interface Node {
    Pos pos();
  }

  /** One source file: its functions (bodies and prototypes) and its constants. */
  public record Unit(SourceFile file, List<Func> funcs, List<Define> defines) {}

  /** A function definition; {@code body} is null for a prototype. */
  public record Func(Pos pos, String name, Type ret, List<Param> params, Block body, boolean isStatic) implements Node {}

  public record Param(Pos pos, Type type, String name) implements Node {}

  /** {@code #define NAME value} or an enumerator: a named integer constant. */
  public record Define(Pos pos, String name, Expr value) implements Node {}

  public sealed interface Stmt extends Node {}

  public record Block(Pos pos, List<Stmt> stmts, Pos end) implements Stmt {}

  public record VarDecl(Pos pos, Type type, String name, Expr init) implements Stmt {}

  public record ExprStmt(Pos pos, Expr e) implements Stmt {}

  public record If(Pos pos, Expr cond, Stmt then, Stmt els) implements Stmt {}

  public record While(Pos pos, Expr cond, Stmt body) implements Stmt {}

  public record DoWhile(Pos pos, Stmt body, Expr cond) implements Stmt {}

  /** {@code init} is a declaration, an expression statement, or null; {@code cond} and {@code step} may be null. */
  public record For(Pos pos, Stmt init, Expr cond, Expr step, Stmt body) implements Stmt {}

  public record Return(Pos pos, Expr value) implements Stmt {}

  public record Goto(Pos pos, String label) implements Stmt {}

  public record Labeled(Pos pos, String label, Stmt stmt) implements Stmt {}

  public record Break(Pos pos) implements Stmt {}

  public record Continue(Pos pos) implements Stmt {}

  public record Switch(Pos pos, Expr value, Block body) implements Stmt {}

  /** {@code case value:}; {@code value} null for {@code default:}. */
  public record Case(Pos pos, Expr value) implements Stmt {}

  public record Empty(Pos pos) implements Stmt {}

  public sealed interface Expr extends Node {}

  public record Num(Pos pos, long value) implements Expr {}

  public record Str(Pos pos, String value) implements Expr {}

  public record Name(Pos pos, String name) implements Expr {}

  public record Call(Pos pos, String fn, List<Expr> args) implements Expr {}

  /** {@code ! - ~ +} */
  public record Unary(Pos pos, String op, Expr e) implements Expr {}

  public record AddrOf(Pos pos, Expr e) implements Expr {}

  public record Deref(Pos pos, Expr e) implements Expr {}

  /** Arithmetic, comparison, bitwise, and the short-circuit {@code &&} and {@code ||}. */
  public record Binary(Pos pos, String op, Expr l, Expr r) implements Expr {}

  /** {@code =} or a compound assignment ({@code +=}, {@code |=}, ...). */
  public record Assign(Pos pos, String op, Expr target, Expr value) implements Expr {}

  public record IncDec(Pos pos, boolean prefix, boolean inc, Expr target) implements Expr {}

  public record Cond(Pos pos, Expr c, Expr a, Expr b) implements Expr {}

  /** {@code obj->name} ({@code arrow}) or {@code obj.name}. */
  public record Field(Pos pos, Expr obj, String name, boolean arrow) implements Expr {}

  public record Cast(Pos pos, Type type, Expr e) implements Expr {}
}
