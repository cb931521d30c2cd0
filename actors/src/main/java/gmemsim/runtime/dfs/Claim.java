package gmemsim.runtime.dfs;

import gmemsim.lang.Program;
import gmemsim.model.prim.Primitives;
import gmemsim.scenario.ScenarioException;
import java.util.ArrayList;
import java.util.List;

/**
 * A reviewer's claimed interleaving: steps of named actors in the order the reviewer says they
 * happen. Each event is {@code actor: function:point} (the actor's step made inside function, at
 * the call of point: a primitive or a function it calls, or a line number of function's file),
 * {@code actor: function} (any step inside function) or {@code actor: point} (any step whose
 * primitive or call stack names point). The exhaustive search explores only interleavings whose
 * matching steps come in this order (see {@link DfsStrategy}).
 */
public final class Claim {
  /** One claimed step; function or point may be null. {@code where} names its file and line for errors. */
  public record Event(String actor, String function, String point, String where) {
    boolean matches(String actorName, String[][] frames, String primitive) {
      if (!actor.equals(actorName) || frames == null) return false;
      int from = 0;
      if (function != null) {
        from = -1;
        for (int i = 0; i < frames.length && from < 0; i++) if (frames[i][0].equals(function)) from = i;
        if (from < 0) return false;
        if (point == null) return true;
        if (isLine(point)) return frames[from][1].equals(point);
        from++;
      }
      if (point.equals(primitive)) return true;
      for (int i = from; i < frames.length; i++) if (frames[i][0].equals(point)) return true;
      return false;
    }

    @Override
    public String toString() {
      return actor + ": " + (function == null ? point : point == null ? function : function + ":" + point);
    }
  }

  private final List<Event> events;

  public Claim(List<Event> events) {
    this.events = List.copyOf(events);
  }

  public List<Event> events() {
    return events;
  }

  public int size() {
    return events.size();
  }

  public Event get(int i) {
    return events.get(i);
  }

  private static boolean isLine(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }

  /** "actor: function:point" lines; {@code where} is "file:line" of each, for errors. */
  public static Claim ofLines(List<String> lines, List<String> where, List<String> actors, Program program) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      int colon = l.indexOf(':');
      if (colon <= 0) throw new ScenarioException(where.get(i) + ": '" + l + "': a claimed step is 'actor: function:point'");
      out.add(event(l.substring(0, colon).strip(), l.substring(colon + 1).strip(), where.get(i), actors, program));
    }
    if (out.isEmpty()) throw new ScenarioException(where.isEmpty() ? "schedule: no step claimed" : where.get(0) + ": no step claimed");
    return new Claim(out);
  }

  /**
   * The two-column diagram of the mailing lists: a header row of actor names (or CPU0, CPU1, ...:
   * the scenario's actors in order) split by '|', then one step per cell, top to bottom (left to
   * right within a row). Rows of dashes are rules.
   */
  public static Claim ofDiagram(List<String> lines, String file, List<String> actors, Program program) {
    List<String> columns = null;
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      String where = file + ":" + (i + 1);
      if (l.isBlank() || l.strip().startsWith("#") || l.replaceAll("[-=+|\\s]", "").isEmpty()) continue;
      String[] cells = l.split("\\|", -1);
      if (columns == null) {
        columns = new ArrayList<>();
        for (String c : cells) columns.add(column(c.strip(), where, actors));
        continue;
      }
      if (cells.length > columns.size()) {
        throw new ScenarioException(where + ": " + cells.length + " columns, the header has " + columns.size());
      }
      for (int c = 0; c < cells.length; c++) {
        String text = cells[c].strip();
        if (!text.isEmpty()) out.add(event(columns.get(c), text, where, actors, program));
      }
    }
    if (columns == null || out.isEmpty()) throw new ScenarioException(file + ": a diagram needs a header row 'actor | actor' and a step");
    return new Claim(out);
  }

  private static String column(String cell, String where, List<String> actors) {
    // "taker0 (CPU0)": the actor, with the CPU the mail names it by.
    String header = cell.replaceAll("\\(.*?\\)", "").strip();
    if (actors.contains(header)) return header;
    if (header.matches("(?i)cpu\\d+")) {
      int n = Integer.parseInt(header.substring(3));
      if (n < actors.size()) return actors.get(n);
    }
    throw new ScenarioException(where + ": column '" + cell + "' names no actor of the scenario (" + String.join(", ", actors)
        + ", or CPU0..CPU" + (actors.size() - 1) + " for them in order)");
  }

  private static Event event(String actor, String spec, String where, List<String> actors, Program program) {
    if (!actors.contains(actor)) {
      throw new ScenarioException(where + ": '" + actor + "' is no actor of the scenario (" + String.join(", ", actors) + ")");
    }
    String s = spec.replaceAll("\\(.*?\\)", "").replace(";", "").strip();
    String function = null;
    String point = s;
    int colon = s.indexOf(':');
    if (colon >= 0) {
      function = s.substring(0, colon).strip();
      point = s.substring(colon + 1).strip();
      if (point.isEmpty()) point = null;
    } else if (program.fn(s) != null) {
      function = s;
      point = null;
    }
    if (function != null && program.fn(function) == null) {
      throw new ScenarioException(where + ": '" + function + "' is no kernel function of this scenario");
    }
    if (point != null && !isLine(point) && program.fn(point) == null && Primitives.byName(point) == null) {
      throw new ScenarioException(where + ": '" + point + "' is neither a kernel function nor a primitive");
    }
    return new Event(actor, function, point, where);
  }
}
