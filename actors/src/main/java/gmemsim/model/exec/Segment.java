package gmemsim.model.exec;

/**
 * One compiled function's straight-line code ({@link JvmCode}): runs its instructions from pc on,
 * on the same stack of values and ghosts the interpreter uses, until the next instruction that
 * leaves the function (a call, an external call, a return), and returns that instruction's index
 * with the stack top: {@code (long) sp << 32 | pc}. The interpreter then runs that one instruction.
 */
abstract class Segment {
  abstract long run(SourcePath p, KernelEnv env, long[] v, long[] g, int[] counts, int bp, int sp, int pc);
}
