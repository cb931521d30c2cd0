package gmemsim.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.cli.Main;
import gmemsim.lang.SourceFile;
import gmemsim.model.exec.KernelSources;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input in kernel source (issue 25, item 5): the built-in source files, mutated at random
 * (lines deleted, swapped, duplicated; a name misspelt or swapped for another; a bracket or
 * semicolon dropped; a number changed; a line of C the subset refuses or a mistake inserted; the
 * file cut short), given to split-vs-tryget as its kernel.patch. Every one must end with exit 0, 1
 * or 2, never with a stack trace, and an exit 2 must name the patch's file, line and column.
 */
class MutatedSourceTest {
  @TempDir Path dir;

  private static final String[] INSERTS = {
    "\tgoto nowhere;", "\treturn;", "\tx = ;", "#if 0", "\tint a[3];", "\twhile (1) { }", "\t*p = 1;", "\tfolio->mapping = 0;",
    "\tfolio_try_get(folio, 1);", "\treturn folio_lock(folio);", "int helper(int a) { if (a) return 1; }", "\tunknown_fn(1);",
    "\tstruct folio f;", "\tfor (;;) cpu_relax();", "\tbreak;", "\tcase 1:", "static int twice(void) { return 0; }\nstatic int twice(void) { return 1; }",
    "\tlocal_irq_disable();", "\ti = 1 / 0;", "\tsizeof(int);"
  };
  private static final Pattern IDENT = Pattern.compile("\\b[a-z_][a-z0-9_]{2,}\\b");

  static String mutate(String text, SplittableRandom rng) {
    List<String> out = new ArrayList<>(text.lines().toList());
    int n = out.size();
    if (n == 0) return "x";
    int i = rng.nextInt(n);
    switch (rng.nextInt(8)) {
      case 0 -> out.remove(i);
      case 1 -> {
        int j = rng.nextInt(n);
        String t = out.get(i);
        out.set(i, out.get(j));
        out.set(j, t);
      }
      case 2 -> out.add(i, out.get(i));
      case 3 -> {
        // a name misspelt, or swapped for another name of the file
        Matcher m = IDENT.matcher(out.get(i));
        List<int[]> spans = new ArrayList<>();
        while (m.find()) spans.add(new int[] {m.start(), m.end()});
        if (spans.isEmpty()) return String.join("\n", out);
        int[] s = spans.get(rng.nextInt(spans.size()));
        String name = out.get(i).substring(s[0], s[1]);
        String other = rng.nextBoolean() ? name.substring(0, name.length() - 1) + (char) ('a' + rng.nextInt(26)) : pickName(text, rng);
        out.set(i, out.get(i).substring(0, s[0]) + other + out.get(i).substring(s[1]));
      }
      case 4 -> {
        String l = out.get(i);
        int k = indexOfAny(l, ";){}(", rng);
        if (k >= 0) out.set(i, l.substring(0, k) + l.substring(k + 1));
      }
      case 5 -> {
        String all = String.join("\n", out);
        return all.substring(0, rng.nextInt(Math.max(1, all.length())));
      }
      case 6 -> out.add(i, INSERTS[rng.nextInt(INSERTS.length)]);
      default -> out.set(i, out.get(i).replaceFirst("\\b\\d+\\b", Integer.toString(rng.nextInt(3) - 1)));
    }
    return String.join("\n", out);
  }

  private static String pickName(String text, SplittableRandom rng) {
    Matcher m = IDENT.matcher(text);
    List<String> names = new ArrayList<>();
    while (m.find()) names.add(m.group());
    return names.isEmpty() ? "nothing" : names.get(rng.nextInt(names.size()));
  }

  private static int indexOfAny(String s, String chars, SplittableRandom rng) {
    List<Integer> at = new ArrayList<>();
    for (int k = 0; k < s.length(); k++) if (chars.indexOf(s.charAt(k)) >= 0) at.add(k);
    return at.isEmpty() ? -1 : at.get(rng.nextInt(at.size()));
  }

  private static void run(int files, long seed, Path dir) throws IOException {
    List<SourceFile> bases = KernelSources.get().builtIn();
    SplittableRandom rng = new SplittableRandom(seed);
    TreeMap<Integer, Integer> codes = new TreeMap<>();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    try {
      for (int k = 0; k < files; k++) {
        SourceFile base = bases.get(rng.nextInt(bases.size()));
        String text = base.text();
        int rounds = 1 + rng.nextInt(3);
        for (int r = 0; r < rounds; r++) text = mutate(text, rng);
        Path f = dir.resolve("p" + k + ".c");
        Files.writeString(f, text + "\n");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(p);
        System.setErr(p);
        int rc;
        try {
          rc = Main.execute("run", Path.of("..", "scenarios", "split-vs-tryget.conf").toString(), "--set",
              "kernel.patch=[\"" + f.toString().replace("\\", "/") + "\"]", "--budget", "2runs", "--quiet", "--out",
              dir.resolve("o").toString());
        } catch (RuntimeException e) {
          throw new AssertionError(base.name() + " mutated as " + f + " threw " + e, e);
        }
        String said = buf.toString(StandardCharsets.UTF_8);
        codes.merge(rc, 1, Integer::sum);
        String why = base.name() + " mutated as " + f + ":\n" + text + "\n--- said:\n" + said;
        assertTrue(rc == 0 || rc == 1 || rc == 2, "exit " + rc + " for " + why);
        assertTrue(!said.contains("\tat ") && !said.contains("Exception"), "a stack trace for " + why);
        if (rc == 2) assertTrue(said.matches("(?s).*" + Pattern.quote(f.toString()) + ":\\d+:\\d+: .*"), "no file:line:col in " + why);
      }
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    System.out.println("mutated kernel source files: " + files + ", exit codes " + codes);
  }

  @Test
  void twoHundredMutatedSourceFilesExitCleanly() throws IOException {
    run(200, 25, dir);
  }

  @Tag("long")
  @Test
  void fiveThousandMutatedSourceFilesExitCleanly() throws IOException {
    run(5_000, 26, dir);
  }
}
