package gmemsim.model.dmap;

/**
 * What the paths of one thread (or a thread and the one it hands the page to) know of a zap:
 * pending, 0 once the page is out of the direct map, or the error that stopped the zap. Local
 * state of the paths, never shared between components.
 */
public final class PageHandoff {
  public static final int PENDING = 1;
  public int result = PENDING;
}
