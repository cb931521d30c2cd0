package gmemsim.scenario.program;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import gmemsim.scenario.ScenarioException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the shape of {@code actors = [ { name, kind, program = [ { op = ..., ... } ] } ]}: that
 * every actor has a unique name and a kind, and every operation an {@code op}. What the kinds and
 * operations mean is checked when the machine is built, where their specs live.
 */
public final class ProgramParser {
  private static final Set<String> ACTOR_KEYS = Set.of("name", "kind", "program");

  private ProgramParser() {}

  public static Programs parse(ConfigValue v, String at, String source) {
    if (v.valueType() != ConfigValueType.LIST) {
      throw new ScenarioException(at + ": actors: expected a list of actors [ { name = ..., kind = ..., program = [ ... ] } ]");
    }
    List<ActorDecl> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int i = 0;
    for (ConfigValue a : (ConfigList) v) {
      String aAt = origin(a.origin(), source);
      String key = "actors[" + i + "]";
      if (a.valueType() != ConfigValueType.OBJECT) {
        throw new ScenarioException(aAt + ": " + key + ": expected an object { name = ..., kind = ..., program = [ ... ] }");
      }
      ConfigObject o = (ConfigObject) a;
      for (String k : o.keySet()) {
        if (!ACTOR_KEYS.contains(k)) {
          throw new ScenarioException(origin(o.get(k).origin(), source) + ": " + key + "." + k
              + ": unknown key; an actor has name, kind and program");
        }
      }
      String name = word(o, "name", aAt, key);
      key = "actors[" + name + "]";
      if (!names.add(name)) throw new ScenarioException(aAt + ": " + key + ": a second actor with this name");
      String kind = word(o, "kind", aAt, key);
      List<OpCall> program = new ArrayList<>();
      ConfigValue p = o.get("program");
      if (p != null) {
        if (p.valueType() != ConfigValueType.LIST) {
          throw new ScenarioException(origin(p.origin(), source) + ": " + key + ".program: expected a list of operations [ { op = ... } ]");
        }
        ops((ConfigList) p, source, key + ".program", program);
      }
      out.add(new ActorDecl(name, kind, program, aAt));
      i++;
    }
    return new Programs(out, v.unwrapped());
  }

  /** The maximum number of operations one actor's program may unroll to (loops included). */
  static final int MAX_OPS = 1 << 20;

  /** Appends the list's operations; a {@code { loop = n, do = [ ... ] }} element repeats its body n times. */
  private static void ops(ConfigList list, String source, String key, List<OpCall> out) {
    int j = 0;
    for (ConfigValue v : list) {
      String path = key + "[" + j + "]";
      if (v.valueType() == ConfigValueType.OBJECT && ((ConfigObject) v).containsKey("loop")) {
        ConfigObject o = (ConfigObject) v;
        String at = origin(v.origin(), source);
        for (String k : o.keySet()) {
          if (!k.equals("loop") && !k.equals("do")) {
            throw new ScenarioException(at + ": " + path + "." + k + ": unknown key; a loop has loop (a count) and do (a list of operations)");
          }
        }
        ConfigValue n = o.get("loop");
        ConfigValue body = o.get("do");
        if (n.valueType() != ConfigValueType.NUMBER || ((Number) n.unwrapped()).doubleValue() != ((Number) n.unwrapped()).intValue()
            || ((Number) n.unwrapped()).intValue() < 1) {
          throw new ScenarioException(at + ": " + path + ".loop: expected a count of at least 1, got " + n.render());
        }
        if (body == null || body.valueType() != ConfigValueType.LIST) {
          throw new ScenarioException(at + ": " + path + ".do: expected the list of operations to repeat");
        }
        int times = ((Number) n.unwrapped()).intValue();
        for (int t = 0; t < times; t++) {
          ops((ConfigList) body, source, path + ".do", out);
          if (out.size() > MAX_OPS) throw new ScenarioException(at + ": " + path + ".loop: the program unrolls to more than " + MAX_OPS + " operations");
        }
      } else {
        out.add(op(v, source, path));
      }
      j++;
    }
  }

  private static OpCall op(ConfigValue v, String source, String path) {
    String at = origin(v.origin(), source);
    if (v.valueType() != ConfigValueType.OBJECT) {
      throw new ScenarioException(at + ": " + path + ": expected an operation { op = name, ... }, got " + v.render());
    }
    ConfigObject o = (ConfigObject) v;
    String name = word(o, "op", at, path);
    Map<String, ConfigValue> args = new LinkedHashMap<>(o);
    args.remove("op");
    return new OpCall(name, args, at, path);
  }

  private static String word(ConfigObject o, String k, String at, String key) {
    ConfigValue v = o.get(k);
    if (v == null) throw new ScenarioException(at + ": " + key + "." + k + ": missing");
    if (v.valueType() != ConfigValueType.STRING) {
      throw new ScenarioException(at + ": " + key + "." + k + ": expected a word, got " + v.render());
    }
    String s = ((String) v.unwrapped()).trim();
    if (s.isEmpty() || !s.matches("[A-Za-z0-9_.-]+")) {
      throw new ScenarioException(at + ": " + key + "." + k + ": '" + s + "' is not a name (letters, digits, '-', '_', '.')");
    }
    return s;
  }

  static String origin(ConfigOrigin o, String source) {
    if (o.filename() != null) return o.lineNumber() > 0 ? o.filename() + ":" + o.lineNumber() : o.filename();
    String d = o.description();
    return d == null || d.isEmpty() ? source : d.replaceFirst(": \\d+$", "");
  }
}
