package gmemsim.scenario;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How long a hunt goes on: a wall-clock time or a number of runs, whichever the user named. */
public record Budget(long millis, long runs) {
  private static final Pattern FORM =
      Pattern.compile("(\\d+)\\s*(ms|s|m|h|runs?)", Pattern.CASE_INSENSITIVE);

  /** @throws IllegalArgumentException with a message that names the accepted forms */
  public static Budget parse(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a budget; write e.g. 30s, 2m, 500ms or 5000runs");
    }
    long n = Long.parseLong(m.group(1));
    if (n <= 0) throw new IllegalArgumentException("a budget must be positive, got '" + text + "'");
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ms" -> new Budget(n, 0);
      case "s" -> new Budget(n * 1000, 0);
      case "m" -> new Budget(n * 60_000, 0);
      case "h" -> new Budget(n * 3_600_000, 0);
      default -> new Budget(0, n);
    };
  }

  public boolean isRuns() {
    return runs > 0;
  }

  @Override
  public String toString() {
    return isRuns() ? runs + "runs" : millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
