package gmemsim.lang;

import java.util.List;

/**
 * One kernel source file as gmemsim reads it: its name as reports print it (relative to
 * {@code kernel/} for built-in files, to the scenario for a patch), where it came from, and its
 * text, kept for error messages and traces that show the line.
 */
public record SourceFile(String name, Origin origin, String text) {
  /** Where a function comes from, for {@code gmemsim list}: built in, a knob's variant, a patch. */
  public record Origin(String kind, String detail) {
    public static final Origin BUILT_IN = new Origin("built in", "");

    public static Origin variant(String knob, String value) {
      return new Origin("variant", knob + " = " + value);
    }

    public static Origin patch(String scenario) {
      return new Origin("patch", scenario);
    }

    @Override
    public String toString() {
      return detail.isEmpty() ? kind : kind + " (" + detail + ")";
    }
  }

  /** Line {@code n} (1-based) without its newline, or "" past the end. */
  public String line(int n) {
    List<String> lines = text.lines().toList();
    return n >= 1 && n <= lines.size() ? lines.get(n - 1) : "";
  }
}
