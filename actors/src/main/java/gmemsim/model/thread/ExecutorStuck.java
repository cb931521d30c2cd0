package gmemsim.model.thread;

import gmemsim.model.Event;

/**
 * An executor (thread or CPU) still had work when no message was left in flight: it waits for
 * something nobody will send.
 */
public record ExecutorStuck(String executor, String path, String where) implements Event {}
