package gmemsim.model;

import java.util.List;

/**
 * The runtime stopped a run in which only spinning executors had work: every message in flight
 * was a step of a path that goes round a retry loop ({@link Msg#yields()}), for many rounds in a
 * row, so nothing else could change what the loops wait for.
 *
 * @param spinners the spinning executors, each with the path and where it spins
 * @param rounds retry rounds delivered while nothing but spinners had work
 */
public record NoProgress(long step, List<String> spinners, long rounds) implements Event {}
