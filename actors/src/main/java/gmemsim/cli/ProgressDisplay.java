package gmemsim.cli;

import gmemsim.runtime.Hunt;
import gmemsim.scenario.Budget;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long hunt on standard error. On a terminal, a bar (progressbar, which redraws
 * one line in place and estimates the time left); otherwise (a CI log, a pipe) a plain line every
 * few seconds, because a log full of carriage returns helps nobody.
 */
final class ProgressDisplay implements Hunt.Progress, AutoCloseable {
  /** How the user asked for progress: {@code auto} picks bar or lines by whether a terminal is attached. */
  enum Mode {
    AUTO, BAR, LINES, NONE;

    static Mode parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new Main.BadInput("--progress " + s + ": not one of auto, bar, lines, none", e);
      }
    }

    Mode resolve() {
      return this != AUTO ? this : System.console() != null ? BAR : LINES;
    }
  }

  static final long LINE_EVERY_MS = 5_000;

  private final Budget budget;
  private final PrintStream err;
  private final ProgressBar bar;
  private final boolean lines;
  private long lastLineMs = -LINE_EVERY_MS;

  private ProgressDisplay(Mode mode, String task, Budget budget, PrintStream err) {
    this.budget = budget;
    this.err = err;
    Mode m = mode.resolve();
    this.lines = m == Mode.LINES;
    this.bar =
        m != Mode.BAR
            ? null
            : new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(budget.isRuns() ? budget.runs() : budget.millis())
                .setUnit(budget.isRuns() ? " runs" : "s", budget.isRuns() ? 1 : 1000)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(err))
                .setUpdateIntervalMillis(250)
                .build();
  }

  /** A display for one hunt, or null for none (the hunt then skips its progress calls). */
  static ProgressDisplay forHunt(Mode mode, String task, Budget budget) {
    return mode.resolve() == Mode.NONE ? null : new ProgressDisplay(mode, task, budget, System.err);
  }

  @Override
  public void update(long runs, long steps, long elapsedMs, int oraclesFired) {
    String rate = human(elapsedMs == 0 ? 0 : steps * 1000.0 / elapsedMs);
    if (bar != null) {
      bar.stepTo(Math.min(bar.getMax(), budget.isRuns() ? runs : elapsedMs));
      // The bar shares one terminal line with this: keep it short so the bar keeps its width.
      bar.setExtraMessage(String.format(" %,d runs %s steps/s %d fired", runs, rate.replace(" ", ""), oraclesFired));
    } else if (lines && elapsedMs - lastLineMs >= LINE_EVERY_MS) {
      lastLineMs = elapsedMs;
      err.printf(
          "gmemsim: %.1fs, %,d runs, %s steps/s, %d oracle(s) fired, %s%n",
          elapsedMs / 1000.0, runs, rate, oraclesFired, left(runs, elapsedMs));
    }
  }

  /** The time left: the rest of a time budget, or the rest of a runs budget at the rate so far. */
  private String left(long runs, long elapsedMs) {
    long ms =
        budget.isRuns()
            ? runs == 0 ? -1 : (budget.runs() - runs) * elapsedMs / runs
            : budget.millis() - elapsedMs;
    return ms < 0 ? "time left unknown" : String.format("about %.0fs left", Math.max(0, ms) / 1000.0);
  }

  static String human(double perSec) {
    if (perSec >= 1e6) return String.format("%.1f M", perSec / 1e6);
    if (perSec >= 1e3) return String.format("%.1f k", perSec / 1e3);
    return String.format("%.0f", perSec);
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
