package gmemsim.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import gmemsim.oracle.Violation;
import gmemsim.runtime.Envelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to re-execute one run exactly: the effective knobs (so a later edit of the
 * scenario file cannot change the replay), the seeds, and the id of every delivered message in
 * order, as {@code component#sequence}.
 */
public record ReplayFile(
    String format,
    String scenarioFile,
    String scenario,
    Map<String, Object> knobs,
    long seed,
    String strategy,
    long pctK,
    String runtime,
    long run,
    long runSeed,
    long maxSteps,
    Violation violation,
    List<String> schedule,
    String kernel) {

  /**
   * Format 2: the run's steps are kernel source's primitives ({@code kernel} is the digest of the
   * kernel sources it ran on). Format 1 named the Java step machines that issue 25 replaced.
   */
  public static final String FORMAT = "gmemsim-replay/2";

  private static final String BEFORE_SOURCE = "gmemsim-replay/1";

  public static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    JSON.writeValue(file.toFile(), this);
  }

  public static ReplayFile read(Path file) throws IOException {
    ReplayFile r = JSON.readValue(file.toFile(), ReplayFile.class);
    if (BEFORE_SOURCE.equals(r.format())) {
      throw new IOException("recorded by a gmemsim whose kernel paths were Java step machines (format " + BEFORE_SOURCE
          + "); its schedule names steps this model no longer makes, so it cannot be replayed: hunt again with"
          + " --seed " + r.seed() + " (it was run " + r.run() + ")");
    }
    if (!FORMAT.equals(r.format())) {
      throw new IOException("format '" + r.format() + "' is not " + FORMAT);
    }
    return r;
  }

  public static List<String> encode(long[] schedule, List<String> names) {
    List<String> out = new ArrayList<>(schedule.length);
    for (long id : schedule) {
      out.add(Envelope.isChoice(id) ? "choice:" + Envelope.choiceOutcome(id) + "/" + Envelope.choiceOf(id)
          : names.get(Envelope.sender(id)) + "#" + Envelope.seq(id));
    }
    return out;
  }

  /** @throws IllegalArgumentException naming the entry that does not fit these components */
  public static long[] decode(List<String> schedule, List<String> names) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) index.put(names.get(i), i);
    long[] out = new long[schedule.size()];
    for (int i = 0; i < out.length; i++) {
      String e = schedule.get(i);
      if (e.startsWith("choice:")) {
        String[] kn = e.substring("choice:".length()).split("/");
        try {
          out[i] = Envelope.choice(Integer.parseInt(kn[1]), Integer.parseInt(kn[0]));
        } catch (RuntimeException bad) {
          throw new IllegalArgumentException("schedule entry " + i + " '" + e + "' is no choice K/N");
        }
        continue;
      }
      int hash = e.lastIndexOf('#');
      Integer c = hash > 0 ? index.get(e.substring(0, hash)) : null;
      if (c == null) {
        throw new IllegalArgumentException("schedule entry " + i + " '" + e + "' names no component");
      }
      out[i] = Envelope.id(c, Integer.parseInt(e.substring(hash + 1)));
    }
    return out;
  }
}
