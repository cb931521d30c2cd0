package gmemsim.scenario;

import gmemsim.util.Suggest;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a HOCON scenario file plus {@code --set key=value} overrides into a {@link Scenario}.
 * Every error names the file and line (or the {@code --set} argument) and the key.
 */
public final class ScenarioLoader {
  private final Set<String> oracleNames;

  /** @param oracleNames the names {@code expect.*} lists may contain */
  public ScenarioLoader(Set<String> oracleNames) {
    this.oracleNames = Set.copyOf(oracleNames);
  }

  public Scenario load(Path file, List<String> sets) {
    if (!Files.isRegularFile(file)) {
      throw new ScenarioException(file + ": no such scenario file");
    }
    Config fromFile;
    try {
      fromFile =
          ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      // Typesafe's message already starts with "file: line:"; keep one "file:line:" prefix.
      String m = e.getMessage().replaceFirst("^" + java.util.regex.Pattern.quote(file.toString()) + ": (\\d+): ", "");
      if (m.contains("end of file")) {
        // Typesafe names the wrong bracket when the file ends inside a block.
        m = "the file ends inside a block: a closing '}' (or ']') is missing";
      }
      int line = e.origin() != null ? e.origin().lineNumber() : -1;
      throw new ScenarioException(file + (line > 0 ? ":" + line : "") + ": " + m, e);
    }
    String base = file.getFileName().toString().replaceFirst("\\.conf$", "");
    return build(file.toString(), withSets(fromFile, sets), base);
  }

  /** Rebuilds a scenario from the effective knobs a replay file or summary recorded. */
  public Scenario fromEffective(Map<String, ?> knobs, String source) {
    Config c;
    try {
      c = ConfigFactory.parseMap(knobs, source);
    } catch (ConfigException e) {
      throw new ScenarioException(source + ": " + e.getMessage(), e);
    }
    return build(source, c, "scenario");
  }

  private static Config withSets(Config base, List<String> sets) {
    Config merged = base;
    for (String arg : sets) {
      int eq = arg.indexOf('=');
      if (eq <= 0) throw new ScenarioException("--set " + arg + ": expected key=value");
      String key = arg.substring(0, eq).trim();
      String value = arg.substring(eq + 1).trim();
      Config one;
      try {
        one =
            ConfigFactory.parseString(
                key + " = " + value,
                ConfigParseOptions.defaults().setOriginDescription("--set " + arg));
      } catch (ConfigException e) {
        throw new ScenarioException("--set " + arg + ": " + e.getMessage(), e);
      }
      merged = one.withFallback(merged);
    }
    return merged;
  }

  private Scenario build(String source, Config c, String defaultName) {
    Map<String, Knob> known = Knobs.all();
    for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
      if (!known.containsKey(e.getKey())) {
        throw new ScenarioException(
            where(e.getValue().origin(), source)
                + ": unknown key '"
                + e.getKey()
                + "'; did you mean '"
                + Suggest.closest(e.getKey(), known.keySet())
                + "'? (gmemsim list shows every key)");
      }
    }
    Map<Knob, Object> values = new LinkedHashMap<>();
    Map<Knob, String> origins = new LinkedHashMap<>();
    for (Knob k : known.values()) {
      if (c.hasPath(k.key())) {
        String at = where(c.getValue(k.key()).origin(), source);
        origins.put(k, at);
        values.put(k, read(c, k, at));
      } else {
        origins.put(k, source + " (default)");
        values.put(k, defaultOf(k));
      }
    }
    if (((String) values.get(Knobs.NAME)).isEmpty()) values.put(Knobs.NAME, defaultName);
    return new Scenario(source, values, origins);
  }

  private static Object defaultOf(Knob k) {
    return switch (k.type()) {
      case SIZE -> ConfigFactory.parseString("v = " + k.defaultValue()).getBytes("v");
      case BUDGET -> Budget.parse((String) k.defaultValue());
      case DURATION -> ConfigFactory.parseString("v = " + k.defaultValue()).getDuration("v");
      default -> k.defaultValue();
    };
  }

  private Object read(Config c, Knob k, String at) {
    String key = k.key();
    try {
      switch (k.type()) {
        case INT -> {
          long v = c.getLong(key);
          checkRange(k, v, at);
          return (int) v;
        }
        case LONG -> {
          long v = c.getLong(key);
          checkRange(k, v, at);
          return v;
        }
        case BOOL -> {
          return c.getBoolean(key);
        }
        case STRING -> {
          return c.getString(key);
        }
        case ENUM -> {
          String v = c.getString(key).toLowerCase(Locale.ROOT);
          if (!k.allowed().contains(v)) {
            throw new ScenarioException(
                at
                    + ": "
                    + key
                    + ": '"
                    + v
                    + "' is not one of "
                    + k.allowed()
                    + "; did you mean '"
                    + Suggest.closest(v, k.allowed())
                    + "'?");
          }
          return v;
        }
        case SIZE -> {
          long bytes = c.getBytes(key);
          if (bytes <= 0) throw new ScenarioException(at + ": " + key + ": must be positive");
          return bytes;
        }
        case BUDGET -> {
          return Budget.parse(c.getString(key));
        }
        case RATE -> {
          double v = c.getDouble(key);
          if (v < 0 || v > 1) throw new ScenarioException(at + ": " + key + ": " + v + " is outside [0, 1]");
          return v;
        }
        case DURATION -> {
          java.time.Duration d = c.getDuration(key);
          if (d.isNegative()) throw new ScenarioException(at + ": " + key + ": must not be negative");
          return d;
        }
        case STRING_LIST -> {
          return List.copyOf(c.getStringList(key));
        }
        case PROGRAMS -> {
          return gmemsim.scenario.program.ProgramParser.parse(c.getValue(key), at, at);
        }
        case ORACLE_LIST -> {
          List<String> names = new ArrayList<>();
          for (String n : c.getStringList(key)) {
            if (!oracleNames.contains(n)) {
              throw new ScenarioException(
                  at
                      + ": "
                      + key
                      + ": unknown oracle '"
                      + n
                      + "'; did you mean '"
                      + Suggest.closest(n, oracleNames)
                      + "'?");
            }
            names.add(n);
          }
          return List.copyOf(names);
        }
        default -> throw new IllegalStateException(k.type().toString());
      }
    } catch (ConfigException.WrongType e) {
      // Typesafe's own text repeats the origin and speaks of its internal types.
      throw new ScenarioException(
          at + ": " + key + ": expected " + typeWord(k) + ", got " + c.getValue(key).render(), e);
    } catch (ConfigException e) {
      throw new ScenarioException(at + ": " + key + ": " + stripOrigin(e.getMessage()), e);
    } catch (IllegalArgumentException e) {
      throw new ScenarioException(at + ": " + key + ": " + e.getMessage(), e);
    }
  }

  private static String typeWord(Knob k) {
    return switch (k.type()) {
      case INT, LONG -> "a whole number in [" + k.min() + ", " + k.max() + "]";
      case BOOL -> "true or false";
      case ENUM -> "one of " + k.allowed();
      case ORACLE_LIST -> "a list of oracle names [a, b]";
      case SIZE -> "a size such as 16M";
      case RATE -> "a probability in [0, 1]";
      case BUDGET -> "a budget such as 10s or 5000runs";
      case DURATION -> "a duration such as 20ms";
      case STRING -> "a string";
      case PROGRAMS -> "a list of actors";
      case STRING_LIST -> "a list of strings [\"a -> b\"]";
    };
  }

  private static void checkRange(Knob k, long v, String at) {
    if (v < k.min() || v > k.max()) {
      throw new ScenarioException(
          at + ": " + k.key() + ": " + v + " is outside [" + k.min() + ", " + k.max() + "]");
    }
  }

  private static String where(ConfigOrigin o, String source) {
    if (o.filename() != null) {
      return o.lineNumber() > 0 ? o.filename() + ":" + o.lineNumber() : o.filename();
    }
    String d = o.description();
    return d == null || d.isEmpty() ? source : d.replaceFirst(": \\d+$", "");
  }

  private static String stripOrigin(String m) {
    int i = m.indexOf(": ");
    return m.contains(".conf") && i > 0 ? m.substring(m.lastIndexOf(": ") + 2) : m;
  }
}
