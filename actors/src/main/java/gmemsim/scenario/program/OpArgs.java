package gmemsim.scenario.program;

import gmemsim.util.Suggest;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import gmemsim.scenario.ScenarioException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Typed access to one operation's arguments, each error naming the file, line and argument. Every
 * argument must be read by the operation's builder: {@link #checkAllRead} reports one that is not
 * (a typo, or an argument the operation does not take).
 */
public final class OpArgs {
  private final OpCall call;
  /** The arguments read so far, or null when nobody will ask (a build after the first). */
  private final Set<String> read;

  private static final java.util.regex.Pattern HEX = java.util.regex.Pattern.compile("-?0[xX][0-9a-fA-F]{1,16}");
  private static final java.util.regex.Pattern DEC = java.util.regex.Pattern.compile("-?[0-9]{1,18}");
  /** Numbers as written ("0x80000", "16K") and their values: the same strings come back every run. */
  private static final java.util.concurrent.ConcurrentHashMap<String, Long> NUMBERS = new java.util.concurrent.ConcurrentHashMap<>();
  /** Sizes as written ("2M") to bytes: machines are built once per run, Typesafe's parser is slow. */
  private static final java.util.concurrent.ConcurrentHashMap<String, Long> SIZES = new java.util.concurrent.ConcurrentHashMap<>();

  private static Long parseSize(String t) {
    try {
      return ConfigFactory.parseString("v = \"" + t.replace("\"", "") + "\"").getBytes("v");
    } catch (RuntimeException e) {
      return Long.MIN_VALUE;
    }
  }

  public OpArgs(OpCall call) {
    this(call, true);
  }

  /** @param track whether {@link #checkAllRead} will be asked (it needs the names read) */
  public OpArgs(OpCall call, boolean track) {
    this.call = call;
    this.read = track ? new HashSet<>() : null;
  }

  public OpCall call() {
    return call;
  }

  public boolean has(String k) {
    if (read != null) read.add(k);
    return call.args().containsKey(k);
  }

  private ConfigValue value(String k) {
    if (read != null) read.add(k);
    return call.args().get(k);
  }

  /** A whole number: 12, "0x80000", or a size "2M" where {@code sizes} is true. */
  public long number(String k, Long def, boolean sizes) {
    ConfigValue v = value(k);
    if (v == null) {
      if (def == null) throw error(k, "missing");
      return def;
    }
    Object u = v.unwrapped();
    if (u instanceof Number n && (v.valueType() == ConfigValueType.NUMBER) && n.doubleValue() == n.longValue()) {
      return n.longValue();
    }
    if (u instanceof String s) {
      Long known = NUMBERS.get(s);
      if (known != null && (sizes || !SIZES.containsKey(s.trim()))) return known;
      String t = s.trim();
      if (HEX.matcher(t).matches()) {
        boolean neg = t.startsWith("-");
        long x = Long.parseUnsignedLong(t.substring(neg ? 3 : 2), 16);
        NUMBERS.put(s, neg ? -x : x);
        return neg ? -x : x;
      }
      if (DEC.matcher(t).matches()) {
        long x = Long.parseLong(t);
        NUMBERS.put(s, x);
        return x;
      }
      if (sizes) {
        Long b = SIZES.computeIfAbsent(t, OpArgs::parseSize);
        if (b != Long.MIN_VALUE) {
          NUMBERS.put(s, b);
          return b;
        }
      }
    }
    throw error(k, "expected " + (sizes ? "a byte count such as 4096, 0x200000 or 2M" : "a whole number such as 12 or 0x80000")
        + ", got " + v.render());
  }

  public int count(String k, int def, int min, int max) {
    long v = number(k, (long) def, false);
    if (v < min || v > max) throw error(k, v + " is outside [" + min + ", " + max + "]");
    return (int) v;
  }

  public boolean bool(String k, boolean def) {
    ConfigValue v = value(k);
    if (v == null) return def;
    if (v.valueType() == ConfigValueType.BOOLEAN) return (Boolean) v.unwrapped();
    if (v.valueType() == ConfigValueType.STRING) {
      String s = ((String) v.unwrapped()).trim();
      if (s.equals("true") || s.equals("yes") || s.equals("on")) return true;
      if (s.equals("false") || s.equals("no") || s.equals("off")) return false;
    }
    throw error(k, "expected true or false, got " + v.render());
  }

  public String word(String k, String def, List<String> allowed) {
    ConfigValue v = value(k);
    if (v == null) {
      if (def == null) throw error(k, "missing; one of " + allowed);
      return def;
    }
    if (v.valueType() != ConfigValueType.STRING && v.valueType() != ConfigValueType.NUMBER) {
      throw error(k, "expected one of " + allowed + ", got " + v.render());
    }
    String s = String.valueOf(v.unwrapped()).trim();
    if (!allowed.isEmpty() && !allowed.contains(s)) {
      throw error(k, "'" + s + "' is not one of " + allowed + "; did you mean '" + Suggest.closest(s, allowed) + "'?");
    }
    return s;
  }

  /** A list of words from {@code allowed} (a single word is a list of one). */
  public List<String> words(String k, List<String> def, List<String> allowed) {
    ConfigValue v = value(k);
    if (v == null) return def;
    List<Object> items = new ArrayList<>();
    if (v.valueType() == ConfigValueType.LIST) items.addAll((List<?>) v.unwrapped());
    else items.add(v.unwrapped());
    List<String> out = new ArrayList<>();
    for (Object o : items) {
      String s = String.valueOf(o).trim();
      if (!allowed.contains(s)) {
        throw error(k, "'" + s + "' is not one of " + allowed + "; did you mean '" + Suggest.closest(s, allowed) + "'?");
      }
      out.add(s);
    }
    return out;
  }

  /** Reports an argument the operation does not take. */
  public void checkAllRead(List<String> known) {
    if (read == null) throw new IllegalStateException("arguments not tracked");
    for (String k : call.args().keySet()) {
      if (!read.contains(k)) {
        throw error(k, "unknown argument of " + call.op() + "; it takes " + known
            + (known.isEmpty() ? "" : " (did you mean '" + Suggest.closest(k, known) + "'?)"));
      }
    }
  }

  public ScenarioException error(String k, String message) {
    return new ScenarioException(call.where(k) + ": " + message);
  }
}
