package gmemsim.model.program;

/**
 * One argument an operation takes, as {@code gmemsim list} prints it.
 *
 * @param def the default as written, or null when the argument is required
 */
public record Param(String name, String def, String description) {
  public static Param required(String name, String description) {
    return new Param(name, null, description);
  }

  public static Param optional(String name, String def, String description) {
    return new Param(name, def, description);
  }
}
