package gmemsim.runtime.akka;

import com.esotericsoftware.kryo.Kryo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every class that may cross a node, with the Kryo id pinned in the committed file {@link
 * #GOLDEN} ("id binary-name" per line). Ids come from that file, not from the order of a list in
 * code, so adding a message cannot renumber the others; WireRegistryTest checks that every
 * model message ({@code Msg}) and every {@link WireMessage} is in it.
 */
public final class WireRegistry {
  public static final String GOLDEN = "/gmemsim/wire-ids.txt";

  private static final Map<Integer, Class<?>> IDS = load();

  private WireRegistry() {}

  /** Id -> class, in file order. */
  public static Map<Integer, Class<?>> ids() {
    return IDS;
  }

  static void register(Kryo k) {
    IDS.forEach((id, type) -> k.register(type, id));
  }

  private static Map<Integer, Class<?>> load() {
    Map<Integer, Class<?>> out = new LinkedHashMap<>();
    try (InputStream in = WireRegistry.class.getResourceAsStream(GOLDEN)) {
      if (in == null) throw new IllegalStateException(GOLDEN + " is missing from the classpath");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) continue;
        String[] f = line.split("\\s+");
        if (f.length != 2) throw new IllegalStateException(GOLDEN + ":" + n + ": expected 'id class', got '" + line + "'");
        int id = Integer.parseInt(f[0]);
        Class<?> type = Class.forName(f[1], false, WireRegistry.class.getClassLoader());
        if (out.put(id, type) != null) throw new IllegalStateException(GOLDEN + ":" + n + ": id " + id + " given twice");
      }
    } catch (IOException | ClassNotFoundException | NumberFormatException e) {
      throw new IllegalStateException(GOLDEN + ": " + e, e);
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
