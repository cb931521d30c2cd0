package gmemsim.model.thread;

import gmemsim.model.Msg;

/** Messages a thread receives: the result of the step it asked an owner to perform. */
public final class ThreadProtocol {
  private ThreadProtocol() {}

  /**
   * The return value of one step. {@code ghost} carries simulator-only facts the path records as
   * its belief (e.g. the allocation generation of the folio it just pinned); the simulated kernel
   * never reads it.
   */
  public record Ret(long value, long ghost) implements Msg {
    public static Ret of(long value) {
      return new Ret(value, 0);
    }

    @Override
    public String step() {
      return "return";
    }

    /** "return 0x100c07" (frames, gfns and addresses in hex; small counts in decimal). */
    @Override
    public String describe() {
      return "return " + (value >= 0x1000 || value <= -0x1000 ? gmemsim.model.Describe.hex(value) : Long.toString(value));
    }
  }
}
