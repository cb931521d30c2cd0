package gmemsim.lang;

/**
 * A program point of a compiled program: a call to an external (a primitive's step, a helper) or
 * the start of a basic block. Traces and coverage name it as "function file:line" and show the
 * line.
 */
public record Site(int id, Fn fn, Pos pos, String what) {
  /** "function (file:line)". */
  public String where() {
    return fn.name + " (" + pos.fileLine() + ")";
  }

  /** The source line, trimmed. */
  public String line() {
    return pos.file().line(pos.line()).strip();
  }
}
