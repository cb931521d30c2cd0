package gmemsim.runtime;

import gmemsim.oracle.Violation;
import java.util.List;

/**
 * The outcome of one run.
 *
 * @param violations the first violation of each oracle that fired, in the order they fired
 * @param schedule the id of the message delivered at each step
 * @param truncated the run hit its step limit
 */
public record RunResult(long steps, List<Violation> violations, long[] schedule, boolean truncated) {}
