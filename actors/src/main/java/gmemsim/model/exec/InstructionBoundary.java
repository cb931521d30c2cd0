package gmemsim.model.exec;

import gmemsim.model.Ctx;

/**
 * An executor that takes interrupts only between instructions (a CPU): kernel source tells it,
 * through {@code __insn_end()}, the moment an instruction retires, so the interrupts that waited
 * are taken exactly there and before the next instruction's first translation.
 */
public interface InstructionBoundary {
  void retired(Ctx ctx);
}
