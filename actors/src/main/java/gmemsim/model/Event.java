package gmemsim.model;

/**
 * A ghost fact a component reports about a step it just performed: what the simulator knows and
 * the simulated kernel does not. Oracles judge these facts; components never judge them.
 */
public interface Event {}
