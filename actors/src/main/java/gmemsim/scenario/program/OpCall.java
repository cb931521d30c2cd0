package gmemsim.scenario.program;

import com.typesafe.config.ConfigValue;
import java.util.Map;

/**
 * One operation of an actor's program as written: its name, its arguments (still untyped: the
 * operation's spec types them) and where it was written.
 *
 * @param at "file:line" of the operation
 * @param path "actors[vmm].program[3]": the key errors name
 */
public record OpCall(String op, Map<String, ConfigValue> args, String at, String path) {
  public OpCall {
    args = Map.copyOf(args);
  }

  /** "file:line: actors[vmm].program[3]" (+ ".arg" when an argument is at fault). */
  public String where(String arg) {
    return at + ": " + path + (arg == null ? "" : "." + arg);
  }
}
