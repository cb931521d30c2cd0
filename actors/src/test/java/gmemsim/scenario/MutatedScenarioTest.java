package gmemsim.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input (issue 13, item 6): scenario files mutated at random (deleted, swapped and duplicated
 * lines, values of the wrong type or out of range, unknown keys, unknown or misplaced operations,
 * program arguments out of range, files cut short) go through the
 * real command line. Every one must end with exit 0, 1 or 2, never with a stack trace, and an
 * exit 2 must name the file and line.
 */
class MutatedScenarioTest {
  @TempDir Path dir;

  private static final String[] OPS = {"raed", "access", "fallocate", "gup-fault", "publish", "close", "wait", "split-folio", "memory-failure"};
  private static final String[] ARGS = {"-4096", "0x7fffffff", "1G", "4097", "0", "nine", "0x80000000", "[1, 2]", "99999999999"};
  private static final String[] BAD_VALUES = {"nine", "-1", "99999999", "true", "[a, b]", "\"\"", "1.5", "{}", "4096M"};

  static List<String> mutate(List<String> lines, SplittableRandom rng) {
    List<String> out = new ArrayList<>(lines);
    int n = out.size();
    if (n == 0) return List.of("x");
    List<Integer> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) if (out.get(i).contains("op = ")) ops.add(i);
    switch (rng.nextInt(ops.isEmpty() ? 7 : 9)) {
      case 7 -> {
        // an unknown operation, or one of another actor kind
        int i = ops.get(rng.nextInt(ops.size()));
        out.set(i, out.get(i).replaceFirst("op = [a-z-]+", "op = " + OPS[rng.nextInt(OPS.length)]));
      }
      case 8 -> {
        // an argument out of range or of the wrong unit
        int i = ops.get(rng.nextInt(ops.size()));
        out.set(i, out.get(i).replaceFirst("(offset|len|gfn|index|pages|size|address|page|count|folio) = [^,}]+",
            "$1 = " + ARGS[rng.nextInt(ARGS.length)]));
      }
      case 0 -> out.remove(rng.nextInt(n));
      case 1 -> {
        int a = rng.nextInt(n);
        int b = rng.nextInt(n);
        String t = out.get(a);
        out.set(a, out.get(b));
        out.set(b, t);
      }
      case 2, 3 -> {
        List<Integer> assigns = new ArrayList<>();
        for (int i = 0; i < n; i++) if (out.get(i).contains("=") && !out.get(i).trim().startsWith("#")) assigns.add(i);
        if (assigns.isEmpty()) return out;
        int i = assigns.get(rng.nextInt(assigns.size()));
        String l = out.get(i);
        out.set(i, l.substring(0, l.indexOf('=') + 1) + " " + BAD_VALUES[rng.nextInt(BAD_VALUES.length)]);
      }
      case 4 -> out.add(rng.nextInt(n + 1), "no-such.knob" + rng.nextInt(5) + " = 1");
      case 5 -> {
        String all = String.join("\n", out);
        return List.of(all.substring(0, rng.nextInt(Math.max(1, all.length()))));
      }
      default -> {
        int i = rng.nextInt(n);
        out.add(i, out.get(i));
      }
    }
    return out;
  }

  private static void run(int files, long seed, Path dir) throws IOException {
    List<Path> bases;
    try (Stream<Path> s = Files.list(Path.of("..", "scenarios"))) {
      bases = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
    SplittableRandom rng = new SplittableRandom(seed);
    TreeMap<Integer, Integer> codes = new TreeMap<>();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    try {
      for (int k = 0; k < files; k++) {
        Path base = bases.get(rng.nextInt(bases.size()));
        List<String> lines = Files.readAllLines(base);
        int rounds = 1 + rng.nextInt(3);
        for (int r = 0; r < rounds; r++) lines = mutate(lines, rng);
        Path f = dir.resolve("m" + k + ".conf");
        Files.writeString(f, String.join("\n", lines) + "\n");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(p);
        System.setErr(p);
        int rc;
        try {
          rc = Main.execute("run", f.toString(), "--budget", "2runs", "--quiet", "--out", dir.resolve("o").toString());
        } catch (RuntimeException e) {
          throw new AssertionError(base + " mutated as " + f + " threw " + e, e);
        }
        String said = buf.toString(StandardCharsets.UTF_8);
        codes.merge(rc, 1, Integer::sum);
        String why = base.getFileName() + " mutated: " + String.join("\\n", lines) + "\n" + said;
        assertTrue(rc == 0 || rc == 1 || rc == 2, "exit " + rc + " for " + why);
        assertTrue(!said.contains("\tat ") && !said.contains("Exception"), "a stack trace for " + why);
        // A key missing from the file is named with "(default)" where a line would stand.
        if (rc == 2) {
          assertTrue(said.matches("(?s).*" + java.util.regex.Pattern.quote(f.toString()) + "(:\\d+| \\(default\\)): .*"), "no file:line in " + why);
        }
      }
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    System.out.println("mutated scenario files: " + files + ", exit codes " + codes);
  }

  @Test
  void threeHundredMutatedFilesExitCleanly() throws IOException {
    run(300, 12, dir);
  }

  @Tag("long")
  @Test
  void tenThousandMutatedFilesExitCleanly() throws IOException {
    run(10_000, 13, dir);
  }
}
