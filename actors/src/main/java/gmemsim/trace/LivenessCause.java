package gmemsim.trace;

import gmemsim.oracle.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps that made a liveness finding so, which a brief must not fold away (issue 26). For a
 * deadlock: the step that took each lock the message names (the last "held" or "handed to" of it,
 * or the folio_lock that set PG_locked on a folio it names), and the wait of each sleeper another
 * waits behind ("behind vmm-alloc, queued first": a reader queued after a writer). For a livelock: for each spinner, the
 * last step of another actor that changed the component the spinner keeps retrying against,
 * before the spinning began: what it waits on, as last changed.
 */
public final class LivenessCause {
  private LivenessCause() {}

  public static List<TraceLine> of(Violation v, List<TraceLine> lines) {
    if (v == null) return List.of();
    return switch (v.oracle()) {
      case "deadlock" -> lockTakers(v, lines);
      case "livelock" -> lastChangers(v, lines);
      default -> List.of();
    };
  }

  private static List<TraceLine> lockTakers(Violation v, List<TraceLine> lines) {
    Map<String, TraceLine> last = new HashMap<>();
    for (TraceLine l : lines) {
      if (l.step() > v.step()) break;
      for (String c : l.changes()) {
        String lock = lockTaken(c, l);
        if (lock != null && v.message().contains(lock)) last.put(lock, l);
        int at = c.indexOf(" contended: ");
        if (at > 0 && c.endsWith(" sleeps")) {
          String sleeper = c.substring(at + " contended: ".length(), c.length() - " sleeps".length());
          if (v.message().contains("behind " + sleeper + ",") || v.message().contains(", " + sleeper + ", queued first")) {
            last.put("queued " + sleeper, l);
          }
        }
      }
    }
    return new ArrayList<>(last.values());
  }

  /** The lock a change says was taken ("gmem0 invalidate_lock held for write", "PG_locked set"), or null. */
  private static String lockTaken(String change, TraceLine l) {
    for (String marker : new String[] {" held for write", " held shared", " handed to "}) {
      int at = change.indexOf(marker);
      if (at > 0) return change.substring(0, at).strip();
    }
    if (change.startsWith("PG_locked set")) {
      int eq = l.call().indexOf("folio=");
      if (eq < 0) return null;
      int end = eq + 6;
      while (end < l.call().length() && l.call().charAt(end) != ',' && l.call().charAt(end) != ')') end++;
      return "folio " + l.call().substring(eq + 6, end) + " lock";
    }
    return null;
  }

  /** The telling words of a change: five letters or more, underscores as spaces ("in_progress" -> progress). */
  private static java.util.Set<String> words(String change) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (String w : change.toLowerCase(java.util.Locale.ROOT).split("[^a-z]+")) if (w.length() >= 5 && !w.equals("return")) out.add(w);
    return out;
  }

  private static List<TraceLine> lastChangers(Violation v, List<TraceLine> lines) {
    List<TraceLine> out = new ArrayList<>();
    for (String spinner : v.actors()) {
      // The component the spinner's last steps went to most: what its retries read.
      Map<String, Integer> targets = new HashMap<>();
      int seen = 0;
      int firstOfSpin = -1;
      for (int i = lines.size() - 1; i >= 0 && seen < 64; i--) {
        TraceLine l = lines.get(i);
        if (!l.from().equals(spinner) || l.kernelStep().equals("return")) continue;
        targets.merge(l.to(), 1, Integer::sum);
        seen++;
        firstOfSpin = i;
      }
      String target = targets.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
      if (target == null) continue;
      // What the retries said they saw ("invalidation of gfn in progress: retry"): a change that
      // names the same thing ("in_progress 3") is the one that left it so.
      java.util.Set<String> told = new java.util.HashSet<>();
      for (int i = lines.size() - 1; i >= firstOfSpin; i--) {
        TraceLine l = lines.get(i);
        if (l.from().equals(spinner) && l.to().equals(target)) for (String c : l.changes()) told.addAll(words(c));
      }
      TraceLine anyChange = null;
      TraceLine named = null;
      for (int i = firstOfSpin - 1; i >= 0 && named == null; i--) {
        TraceLine l = lines.get(i);
        if (!l.to().equals(target) || l.from().equals(spinner) || l.changes().isEmpty()) continue;
        if (anyChange == null) anyChange = l;
        for (String c : l.changes()) if (words(c).stream().anyMatch(told::contains)) named = l;
      }
      if (named != null) out.add(named);
      else if (anyChange != null) out.add(anyChange);
    }
    return out;
  }
}
