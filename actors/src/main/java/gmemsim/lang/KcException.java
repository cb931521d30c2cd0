package gmemsim.lang;

/**
 * A mistake in a kernel source file: a syntax or type error, an unknown name, a wrong argument
 * count, a label never defined, a function that can fall off its end. The message is one line:
 * {@code file:line:col: explanation}.
 */
public final class KcException extends RuntimeException {
  private final Pos pos;

  public KcException(Pos pos, String message) {
    super(pos + ": " + message);
    this.pos = pos;
  }

  public Pos pos() {
    return pos;
  }
}
