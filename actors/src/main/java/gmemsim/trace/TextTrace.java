package gmemsim.trace;

import gmemsim.oracle.Violation;
import gmemsim.trace.TraceFolding.Block;
import gmemsim.trace.TraceFolding.Folded;
import gmemsim.trace.TraceFolding.Shown;
import java.util.ArrayList;
import java.util.List;

/**
 * Formats a trace for a terminal or a plain-text mail: one line per delivered message (step,
 * sender -> receiver, kernel step with arguments, what it changed). Steps of the actors the
 * violation names are marked {@code *}, other steps on the pages it names {@code +}, the
 * violating step {@code >>}. Long stretches of one sender's other steps are folded (see {@link
 * TraceFolding}) unless {@code full} is set.
 *
 * <p>With a width (the mail form), every line is wrapped at word boundaries to that many columns,
 * continuation lines indented under the kernel step, so a mail client neither wraps nor truncates
 * it.
 */
public final class TextTrace {
  /** The width of a plain-text mail: what mailing-list etiquette asks for. */
  public static final int MAIL_WIDTH = 78;

  /** Continuation lines of a step start under its kernel step; of other lines, a little in. */
  private static final int STEP_INDENT = 30;

  private static final int TEXT_INDENT = 4;

  /** Steps between two shown steps of one lane after which it is said to stand still. */
  private static final long STILL = 40;

  private TextTrace() {}

  /** @param width wrap at this many columns; 0 for no wrapping */
  public static String format(
      List<TraceLine> lines, List<Violation> atEnd, Violation focus, boolean full, int width) {
    TraceFolding folding = new TraceFolding(focus);
    StringBuilder sb = new StringBuilder();
    blocks(sb, folding.blocks(lines, full), width);
    for (Violation v : atEnd) emit(sb, String.format("%6s  !! %s: %s", "end", v.oracle(), v.message()), width, STEP_INDENT);
    return sb.toString();
  }

  /**
   * The race in brief: only the racing actors' steps and those on the pages the violation names,
   * the last {@code before} of them before the violating step and {@code after} after it.
   */
  public static String brief(List<TraceLine> lines, Violation focus, int before, int after, int width) {
    StringBuilder sb = new StringBuilder();
    blocks(sb, new TraceFolding(focus).brief(lines, before, after), width);
    return sb.toString();
  }

  /**
   * One line per step; a reply that comes straight back to its caller is merged into the line of
   * the call ({@code => return 0x100c07}), so each kernel step reads as one line.
   */
  private static void blocks(StringBuilder sb, List<Block> blocks, int width) {
    emit(sb, String.format("%6s  %-9s    %-7s %s", "step", "from", "to", "kernel step -> what it changed"), width, STEP_INDENT);
    String pending = null;
    TraceLine call = null;
    java.util.Map<String, Long> lastStepOf = new java.util.HashMap<>();
    java.util.Map<String, String> callerOf = new java.util.HashMap<>();
    List<String> history = new java.util.ArrayList<>();
    int period = 0;
    int folded = 0;
    String foldedLane = null;
    for (Block b : blocks) {
      if (b instanceof Shown s) {
        TraceLine l = s.line();
        if (!l.kernelStep().equals("return") && !l.caller().isEmpty() && !l.caller().equals(callerOf.put(l.from(), l.caller()))) {
          // The lane entered another kernel function: say which, once.
          if (pending != null) emit(sb, pending, width, STEP_INDENT);
          pending = null;
          call = null;
          emit(sb, String.format("%6s  %s in %s:", "", l.from(), l.caller()), width, STEP_INDENT);
        }
        if (!l.kernelStep().equals("return")) {
          // A lane that waited long between two of its shown steps: say so, it is where others raced it.
          Long last = lastStepOf.put(l.from(), l.step());
          if (last != null && l.step() - last > STILL) {
            if (pending != null) emit(sb, pending, width, STEP_INDENT);
            pending = null;
            call = null;
            emit(sb, String.format("%6s  %s stands still for %,d steps", "", l.from(), l.step() - last - 1), width, STEP_INDENT);
          }
          // A retry loop (the same steps of one lane over and over): show three rounds, count the rest.
          String key = l.from() + "\u0000" + l.to() + "\u0000" + l.kernelStep() + "\u0000" + s.mark();
          history.add(key);
          int n = history.size();
          if (period > 0 && !history.get(n - 1 - period).equals(key)) {
            if (pending != null) emit(sb, pending, width, STEP_INDENT);
            pending = null;
            call = null;
            emit(sb, String.format("%6s  ... and %,d more steps of the same loop by %s, folded", "", folded, foldedLane), width, STEP_INDENT);
            folded = 0;
            period = 0;
          }
          if (period == 0 && l.fired().isEmpty()) period = loopPeriod(history);
          if (period > 0 && l.fired().isEmpty()) {
            if (folded == 0) {
              if (pending != null) emit(sb, pending, width, STEP_INDENT);
              pending = null;
              call = null;
            }
            folded++;
            foldedLane = l.from();
            continue;
          }
          period = l.fired().isEmpty() ? period : 0;
        } else if (period > 0 && call == null) {
          continue;
        }
        String effect = l.changes().isEmpty() ? "" : " -> " + String.join("; ", l.changes());
        if (call != null && l.kernelStep().equals("return") && l.from().equals(call.to()) && l.to().equals(call.from())
            && l.fired().isEmpty()) {
          emit(sb, pending + " => " + l.call() + effect, width, STEP_INDENT);
          pending = null;
          call = null;
          continue;
        }
        if (pending != null) emit(sb, pending, width, STEP_INDENT);
        pending = null;
        call = null;
        // Kernel source: the line that sent the step, above it, as a listing reads.
        if (!l.source().isEmpty() && !l.kernelStep().equals("return")) emit(sb, String.format("%6s    %s", "", l.source()), width, STEP_INDENT);
        String line = String.format("%s%4d  %-9s -> %-7s %s%s", s.mark().text, l.step(), l.from(), l.to(), l.call(), effect);
        if (l.fired().isEmpty() && !l.kernelStep().equals("return")) {
          pending = line;
          call = l;
        } else {
          emit(sb, line, width, STEP_INDENT);
        }
        for (Violation v : l.fired()) emit(sb, String.format("%6s  !! %s: %s", "", v.oracle(), v.message()), width, STEP_INDENT);
      } else if (b instanceof Folded f) {
        if (pending != null) emit(sb, pending, width, STEP_INDENT);
        pending = null;
        call = null;
        emit(sb, String.format("%6s  ... %s", "", f.summary()), width, STEP_INDENT);
      }
    }
    if (pending != null) emit(sb, pending, width, STEP_INDENT);
    if (folded > 0) emit(sb, String.format("%6s  ... and %,d more steps of the same loop by %s, folded", "", folded, foldedLane), width, STEP_INDENT);
  }

  /** The longest loop folded: a retry path of up to this many steps. */
  private static final int MAX_PERIOD = 8;

  /**
   * The period p of a loop that the newest step continues after three whole rounds of the same p
   * steps were shown, or 0.
   */
  static int loopPeriod(List<String> keys) {
    int n = keys.size();
    for (int p = 1; p <= MAX_PERIOD && 3 * p + 1 <= n; p++) {
      boolean loop = true;
      for (int i = n - 2 * p - 1; i < n && loop; i++) loop = keys.get(i).equals(keys.get(i - p));
      if (loop) return p;
    }
    return 0;
  }

  /** Appends a line, wrapped to width when width > 0. */
  public static void emit(StringBuilder sb, String line, int width) {
    emit(sb, line, width, TEXT_INDENT);
  }

  private static void emit(StringBuilder sb, String line, int width, int indent) {
    for (String l : wrap(line, width, indent)) sb.append(l).append('\n');
  }

  static List<String> wrap(String line, int width, int indent) {
    List<String> out = new ArrayList<>();
    if (width <= 0 || line.length() <= width) {
      out.add(line);
      return out;
    }
    String rest = line;
    boolean first = true;
    while (rest.length() > (first ? width : width - indent)) {
      int room = first ? width : width - indent;
      int cut = rest.lastIndexOf(' ', room);
      if (cut <= room / 3) cut = room; // no good break: split the word
      out.add((first ? "" : " ".repeat(indent)) + rest.substring(0, cut).stripTrailing());
      rest = rest.substring(cut).stripLeading();
      first = false;
    }
    if (!rest.isEmpty()) out.add((first ? "" : " ".repeat(indent)) + rest);
    return out;
  }
}
