package gmemsim.model.program;

import gmemsim.model.mm.PageTag;
import gmemsim.scenario.program.OpArgs;

/**
 * The data arguments of operations that store to or load from guest memory. A page holds one byte
 * pattern, as the selftests' memset() fills it: {@code data} is the byte a store writes,
 * {@code expect-data} the byte (or {@code zeros}) a load must read back.
 */
final class DataArgs {
  private DataArgs() {}

  static final Param DATA = Param.optional("data", "none", "a store fills each page with this byte (1..0xff; none: data no load can name)");
  static final Param EXPECT = Param.optional("expect-data", "none",
      "what a load must read back in each page: zeros or a byte 1..0xff (wrong-data fires otherwise)");

  /** The tag a store writes: {@code tag} with the byte {@code data} names, if any. */
  static int store(OpArgs a, int tag) {
    if (!a.has("data")) return tag;
    return PageTag.withValue(tag, a.count("data", 1, 1, PageTag.MAX_VALUE));
  }

  /** What a load must read: -1 (nothing), 0 (zeros) or a byte. */
  static int expected(OpArgs a) {
    if (!a.has("expect-data")) return -1;
    String w = a.word("expect-data", "", java.util.List.of());
    if (w.equals("zeros")) return 0;
    if (!w.matches("0[xX][0-9a-fA-F]{1,2}|[0-9]{1,3}")) throw a.error("expect-data", "expected zeros or a byte such as 0xaa, got " + w);
    return a.count("expect-data", 0, 0, PageTag.MAX_VALUE);
  }

  /**
   * The operation as written, registered with the task that runs it when it expects something
   * (expected >= 0): the index kernel source passes on, or -1.
   */
  static int site(long expected, OpArgs a, ActorCtx c, String op) {
    return expected < 0 ? -1 : c.task().site(op + " (" + a.call().at() + ")");
  }
}
