package gmemsim.trace;

import gmemsim.oracle.Violation;
import java.util.List;

/**
 * One delivered message: the step, who sent it to whom, the kernel step it asked for, what it
 * changed, any violation it caused, the kernel function the sender was in and, for kernel
 * source, the line that sent it ("mm/gup.c:22: if (!folio_ref_try_add(folio, refs))").
 */
public record TraceLine(
    long step,
    String from,
    String to,
    String kernelStep,
    String call,
    List<String> changes,
    List<Violation> fired,
    String caller,
    String source) {
  /** A line without the sender's calling function (replies, non-thread senders, tests). */
  public TraceLine(long step, String from, String to, String kernelStep, String call, List<String> changes,
      List<Violation> fired) {
    this(step, from, to, kernelStep, call, changes, fired, "", "");
  }
}
