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
  /** Per lock, who sleeps on it, in the order they came: a reader behind a queued writer waits for both. */
  private final Map<String, List<String>> queued = new HashMap<>();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(LockEvents.Acquired.class, LockEvents.Released.class, LockEvents.Waits.class, ExecutorStuck.class, StepLimitReached.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof LockEvents.Acquired a) {
      waitsFor.remove(a.who(), a.lock());
      List<String> q = queued.get(a.lock());
      if (q != null) q.remove(a.who());
      holders.computeIfAbsent(a.lock(), k -> new ArrayList<>()).add(a.who());
    } else if (e instanceof LockEvents.Released r) {
      List<String> h = holders.get(r.lock());
      if (h != null) h.remove(r.who());
    } else if (e instanceof LockEvents.Waits w) {
      waitsFor.put(w.who(), w.lock());
      queued.computeIfAbsent(w.lock(), k -> new ArrayList<>()).add(w.who());
      List<String> cycle = new ArrayList<>();
      if (closesCycle(w.who(), w.who(), cycle, new HashSet<>())) {
        StringBuilder how = new StringBuilder("wait-for cycle:");
        for (String who : cycle) {
          String lock = waitsFor.get(who);
          how.append(' ').append(who).append(" waits for ").append(lock);
          List<String> q = queued.get(lock);
          List<String> ahead = q.subList(0, q.indexOf(who));
          if (!ahead.isEmpty()) how.append(" (behind ").append(String.join(", ", ahead)).append(", queued first)");
          how.append(',');
        }
        how.append(" held by ").append(w.who());
        sink.fire(NAME, how.toString(), cycle, List.of(w.lock()));
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

  /** Whether the executors at waits for reach start through lock holders; path collects them. */
  private boolean closesCycle(String start, String at, List<String> path, Set<String> seen) {
    String lock = waitsFor.get(at);
    if (lock == null || !seen.add(at)) return false;
    path.add(at);
    for (String h : holders.getOrDefault(lock, List.of())) {
      if (h.equals(start) || closesCycle(start, h, path, seen)) return true;
    }
    path.remove(path.size() - 1);
    return false;
  }
}
