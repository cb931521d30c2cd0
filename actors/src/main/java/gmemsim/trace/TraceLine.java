package gmemsim.trace;

import gmemsim.oracle.Violation;
import java.util.List;

/**
 * One delivered message: the step, who sent it to whom, the kernel step it asked for, what it
 * changed, and any violation it caused.
 */
public record TraceLine(
    long step,
    String from,
    String to,
    String kernelStep,
    String call,
    List<String> changes,
    List<Violation> fired,
    String caller) {
  /** A line without the sender's calling function (replies, non-thread senders, tests). */
  public TraceLine(long step, String from, String to, String kernelStep, String call, List<String> changes,
      List<Violation> fired) {
    this(step, from, to, kernelStep, call, changes, fired, "");
  }
}
