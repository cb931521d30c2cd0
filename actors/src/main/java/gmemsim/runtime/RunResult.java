package gmemsim.runtime;

import gmemsim.oracle.Violation;
import java.util.List;

/**
 * The outcome of one run.
 *
 * @param violations the first violation of each oracle that fired, in the order they fired
 * @param schedule the id of the message delivered at each step
 * @param truncated the run hit its step limit
 * @param exposedSteps steps some no-direct-map guest page was readable through the direct map
 *     (-1: the machine has no direct map)
 * @param exposedMaxPerPage the most such steps of one page
 */
public record RunResult(
    long steps,
    List<Violation> violations,
    long[] schedule,
    boolean truncated,
    long exposedSteps,
    long exposedMaxPerPage) {}
