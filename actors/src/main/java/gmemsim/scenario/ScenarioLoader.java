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
    return load(file, null, sets);
  }

  /** The variants a scenario file names in its {@code variants { ... }} block, in file order. */
  public List<String> variants(Path file) {
    Config c = parse(file);
    if (!c.hasPath(VARIANTS)) return List.of();
    List<String> out = new ArrayList<>();
    com.typesafe.config.ConfigObject o = variantsBlock(c, file);
    // HOCON keeps no key order in a Config; the object's text order is the file's.
    List<Map.Entry<String, ConfigValue>> es = new ArrayList<>(o.entrySet());
    es.sort(java.util.Comparator.comparingInt(e -> e.getValue().origin().lineNumber()));
    for (Map.Entry<String, ConfigValue> e : es) out.add(e.getKey());
    return out;
  }

  private static final String VARIANTS = "variants";

  private static com.typesafe.config.ConfigObject variantsBlock(Config c, Path file) {
    ConfigValue v = c.root().get(VARIANTS);
    if (!(v instanceof com.typesafe.config.ConfigObject o)) {
      throw new ScenarioException(where(v.origin(), file.toString()) + ": variants: expected a block"
          + " variants { name { key = value ... } ... }");
    }
    for (Map.Entry<String, ConfigValue> e : o.entrySet()) {
      if (!(e.getValue() instanceof com.typesafe.config.ConfigObject)) {
        throw new ScenarioException(where(e.getValue().origin(), file.toString()) + ": variants." + e.getKey()
            + ": expected a block of keys { kernel.patch = [...], expect.clean = true, ... }");
      }
    }
    return o;
  }

  /**
   * The scenario as {@code variant} of its {@code variants} block has it (null: the file without
   * any variant), with the {@code --set} overrides on top. A variant is a set of keys laid over
   * the file's, as a {@code --set} would: its design knobs, its kernel.patch files, its expect.
   */
  public Scenario load(Path file, String variant, List<String> sets) {
    Config fromFile = parse(file);
    Config base = fromFile.withoutPath(VARIANTS);
    if (fromFile.hasPath(VARIANTS)) {
      com.typesafe.config.ConfigObject block = variantsBlock(fromFile, file);
      // Every variant's keys are checked now, not only the one that runs: a typo in another is found at once.
      for (Map.Entry<String, ConfigValue> e : block.entrySet()) {
        checkKeys(((com.typesafe.config.ConfigObject) e.getValue()).toConfig(), file.toString(), "variants." + e.getKey() + ".");
      }
      if (variant != null) {
        ConfigValue v = block.get(variant);
        if (v == null) {
          throw new ScenarioException(where(block.origin(), file.toString()) + ": no variant '" + variant + "' in variants;"
              + " the variants are " + variants(file) + (block.isEmpty() ? "" : "; did you mean '" + Suggest.closest(variant, block.keySet()) + "'?"));
        }
        base = ((com.typesafe.config.ConfigObject) v).toConfig().withFallback(base)
            .withValue(Knobs.VARIANT.key(), com.typesafe.config.ConfigValueFactory.fromAnyRef(variant, "--variant " + variant));
      }
    } else if (variant != null) {
      throw new ScenarioException(file + ": --variant " + variant + ": the scenario has no variants block");
    }
    String name = file.getFileName().toString().replaceFirst("\\.conf$", "");
    return build(file.toString(), withPatchText(withSets(base, sets), file), name);
  }

  /** kernel.patch's files read now, relative to the scenario, into kernel.patch-text. */
  private static Config withPatchText(Config c, Path scenario) {
    if (!c.hasPath(Knobs.KERNEL_PATCH.key()) || c.hasPath(Knobs.KERNEL_PATCH_TEXT.key())) return c;
    List<String> names;
    try {
      names = c.getStringList(Knobs.KERNEL_PATCH.key());
    } catch (ConfigException e) {
      return c; // the type error is reported, with its line, when the knob is read
    }
    String at = where(c.getValue(Knobs.KERNEL_PATCH.key()).origin(), scenario.toString());
    Path dir = scenario.toAbsolutePath().getParent();
    List<String> texts = new ArrayList<>();
    for (String n : names) {
      Path p = dir == null ? Path.of(n) : dir.resolve(n);
      if (Files.isDirectory(p)) throw new ScenarioException(at + ": kernel.patch: " + n + " is a directory, not a source file");
      try {
        texts.add(Files.readString(p, java.nio.charset.StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new ScenarioException(at + ": kernel.patch: cannot read " + n + " (" + p + "): "
            + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName()));
      }
    }
    return c.withValue(Knobs.KERNEL_PATCH_TEXT.key(), com.typesafe.config.ConfigValueFactory.fromIterable(texts, at));
  }

  private static Config parse(Path file) {
    if (Files.isDirectory(file)) {
      throw new ScenarioException(file + ": a directory, not a scenario file (give the .conf file inside it)");
    }
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
    try {
      return fromFile.resolve();
    } catch (ConfigException e) {
      int line = e.origin() != null ? e.origin().lineNumber() : -1;
      String m = e.getMessage().replaceFirst("^.*?: \\d+: ", "");
      throw new ScenarioException(file + (line > 0 ? ":" + line : "") + ": " + m
          + " (a ${...} substitution names a key the file does not set, or an environment variable that is not set)", e);
    }
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
                ConfigParseOptions.defaults().setOriginDescription("--set " + arg)).resolve();
      } catch (ConfigException.UnresolvedSubstitution e) {
        throw new ScenarioException("--set " + arg + ": a ${...} substitution names an environment variable that is not set"
            + " (a --set cannot refer to the scenario's own keys)", e);
      } catch (ConfigException e) {
        throw new ScenarioException("--set " + arg + ": " + e.getMessage(), e);
      }
      merged = one.withFallback(merged);
    }
    return merged;
  }

  /** Every key must be a knob: an unknown one names its file and line and the closest knob. */
  private static void checkKeys(Config c, String source, String prefix) {
    Map<String, Knob> known = Knobs.all();
    for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
      if (!known.containsKey(e.getKey())) {
        throw new ScenarioException(
            where(e.getValue().origin(), source)
                + ": unknown key '"
                + prefix + e.getKey()
                + "'; did you mean '"
                + prefix + Suggest.closest(e.getKey(), known.keySet())
                + "'? (gmemsim list shows every key)");
      }
    }
  }

  private Scenario build(String source, Config c, String defaultName) {
    Map<String, Knob> known = Knobs.all();
    checkKeys(c, source, "");
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
