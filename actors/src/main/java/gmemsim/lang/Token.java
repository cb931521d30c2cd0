package gmemsim.lang;

/** One token of kernel C: its kind, its text, its value (numbers) and where it starts. */
public record Token(Kind kind, String text, long value, Pos pos) {
  public enum Kind {
    IDENT,
    NUMBER,
    STRING,
    PUNCT,
    /** '#' opening a preprocessor line. */
    HASH,
    /** The end of a preprocessor line. */
    EOL,
    EOF
  }

  public boolean is(String punct) {
    return kind == Kind.PUNCT && text.equals(punct);
  }

  public boolean isWord(String word) {
    return kind == Kind.IDENT && text.equals(word);
  }

  /** How an error message names this token. */
  public String show() {
    return switch (kind) {
      case EOF -> "the end of the file";
      case EOL -> "the end of the line";
      case STRING -> "a string";
      default -> "'" + text + "'";
    };
  }
}
