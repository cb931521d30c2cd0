package gmemsim.oracle;

import gmemsim.model.Event;
import gmemsim.model.StepLimitReached;
import gmemsim.model.lock.LockEvents;
import gmemsim.model.thread.ExecutorStuck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code deadlock}: a cycle in the wait-for graph of the modelled sleeping locks (an executor
 * waits for a lock whose holders wait, directly or through others, for a lock it holds; waiting
 * for a lock one holds oneself, as a recursive down_read() after down_write() does, is the
 * shortest cycle), or no component can make progress while work remains: a thread still has a
 * path to finish when no message is in flight, or a run keeps going past its step limit.
 */
public final class DeadlockOracle implements Oracle {
  public static final String NAME = "deadlock";

  private final Map<String, List<String>> holders = new HashMap<>();
  private final Map<String, String> waitsFor = new HashMap<>();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof LockEvents.Acquired a) {
      waitsFor.remove(a.who(), a.lock());
      holders.computeIfAbsent(a.lock(), k -> new ArrayList<>()).add(a.who());
    } else if (e instanceof LockEvents.Released r) {
      List<String> h = holders.get(r.lock());
      if (h != null) h.remove(r.who());
    } else if (e instanceof LockEvents.Waits w) {
      waitsFor.put(w.who(), w.lock());
      List<String> cycle = cycleFrom(w.who());
      if (cycle != null) {
        sink.fire(NAME, "wait-for cycle: " + String.join(" -> ", cycle), List.copyOf(new HashSet<>(actors(cycle))), List.of(w.lock()));
      }
    } else if (e instanceof ExecutorStuck t) {
      sink.fire(
          NAME,
          t.executor() + " never finishes " + t.path() + ": it waits at " + t.where()
              + " and no message is in flight",
          List.of(t.executor()),
          List.of());
    } else if (e instanceof StepLimitReached l) {
      sink.fire(
          NAME,
          "no progress: " + l.steps() + " steps delivered and " + l.unfinished()
              + " still not finished",
          l.unfinished(),
          List.of());
    }
  }

  /** The cycle through who, as "who waits for lock held by x waits for ... held by who", or null. */
  private List<String> cycleFrom(String who) {
    List<String> path = new ArrayList<>();
    return dfs(who, who, path, new HashSet<>()) ? path : null;
  }

  private boolean dfs(String start, String at, List<String> path, Set<String> seen) {
    String lock = waitsFor.get(at);
    if (lock == null || !seen.add(at)) return false;
    path.add(at + " waits for " + lock);
    for (String h : holders.getOrDefault(lock, List.of())) {
      if (h.equals(start)) {
        path.add("held by " + start);
        return true;
      }
      if (dfs(start, h, path, seen)) return true;
    }
    path.remove(path.size() - 1);
    return false;
  }

  private static List<String> actors(List<String> cycle) {
    List<String> out = new ArrayList<>();
    for (String step : cycle) out.add(step.startsWith("held by ") ? step.substring(8) : step.substring(0, step.indexOf(" waits")));
    return out;
  }
}
