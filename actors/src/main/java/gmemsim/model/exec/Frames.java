package gmemsim.model.exec;

/**
 * The stack an executor's kernel paths run on. An executor runs one path at a time, and a path's
 * frames live only while it runs (its result outlives them), so one stack serves every path of
 * the executor: a run builds a path per call of its program, and a stack each was most of what
 * building a machine allocated. The path running now owns it; another one touching it is a bug.
 */
public final class Frames {
  long[] v = new long[0];
  long[] g = new long[0];
  int[] fn = new int[0];
  int[] pc = new int[0];
  int[] bp = new int[0];
  /** The path whose frames these are. */
  SourcePath owner;

  /** Gives the stack to p, with room for at least this many values and frames. */
  void claim(SourcePath p, int values, int depth) {
    if (v.length < values) {
      v = new long[values];
      g = new long[values];
    }
    if (fn.length < depth) {
      fn = new int[depth];
      pc = new int[depth];
      bp = new int[depth];
    }
    owner = p;
  }
}
