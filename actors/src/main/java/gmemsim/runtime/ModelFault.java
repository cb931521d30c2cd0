package gmemsim.runtime;

/**
 * A component could not handle a message: usually kernel source that passed a primitive
 * something its owner cannot take (an index outside the VMA, a frame that is no page). The message
 * names the step, the source line that sent it, and what went wrong, for one line of output.
 */
public final class ModelFault extends RuntimeException {
  public ModelFault(String message, Throwable cause) {
    super(message, cause);
  }
}
