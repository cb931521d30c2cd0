package gmemsim.lang;

/** A place in a source file: 1-based line and column. */
public record Pos(SourceFile file, int line, int col) {
  @Override
  public String toString() {
    return file.name() + ":" + line + ":" + col;
  }

  /** "file:line", as traces and coverage name a program point. */
  public String fileLine() {
    return file.name() + ":" + line;
  }
}
