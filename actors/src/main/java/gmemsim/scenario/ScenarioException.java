package gmemsim.scenario;

/**
 * Bad input: a scenario that cannot be run as written. The message always names where the
 * problem is (file and line, or the {@code --set} argument) and the key.
 */
public final class ScenarioException extends RuntimeException {
  public ScenarioException(String message) {
    super(message);
  }

  public ScenarioException(String message, Throwable cause) {
    super(message, cause);
  }
}
