package gmemsim.trace;

import gmemsim.oracle.Violation;
import gmemsim.runtime.DeliveryListener;
import gmemsim.runtime.Envelope;
import java.util.ArrayList;
import java.util.List;

/** Records every delivery of a traced run as a {@link TraceLine}. */
public final class TraceRecorder implements DeliveryListener {
  private final List<TraceLine> lines = new ArrayList<>();
  private final List<Violation> atEnd = new ArrayList<>();
  private List<String> names = List.of();
  private final java.util.Map<Long, List<String>> ghost = new java.util.HashMap<>();
  private long steps;
  private List<String> boot = List.of();

  @Override
  public void onStart(List<String> componentNames) {
    names = List.copyOf(componentNames);
  }

  @Override
  public void onDelivery(long step, Envelope e, List<String> notes, List<Violation> fired) {
    onDelivery(step, e, "", notes, fired);
  }

  @Override
  public void onDelivery(long step, Envelope e, String caller, List<String> notes, List<Violation> fired) {
    onDelivery(step, e, caller, "", notes, fired);
  }

  @Override
  public void onDelivery(long step, Envelope e, String caller, String source, List<String> notes, List<Violation> fired) {
    lines.add(
        new TraceLine(
            step,
            names.get(e.from()),
            names.get(e.to()),
            e.msg().step(),
            e.msg().describe(),
            notes,
            fired,
            caller == null ? "" : caller,
            source == null ? "" : source));
  }

  @Override
  public void onBoot(List<String> notes) {
    boot = List.copyOf(notes);
  }

  /** What was noted before the first step. */
  public List<String> boot() {
    return boot;
  }

  @Override
  public void onGhost(long step, List<String> facts) {
    ghost.put(step, List.copyOf(facts));
  }

  @Override
  public void onEnd(long steps, List<Violation> fired) {
    this.steps = steps;
    atEnd.addAll(fired);
  }

  public List<TraceLine> lines() {
    return lines;
  }

  /** Violations found by the end-of-run checks (leftover references, stuck threads). */
  public List<Violation> atEnd() {
    return atEnd;
  }

  /**
   * Ghost facts recorded right after this step (or, for the step count, after the end-of-run
   * checks); empty when no violation fired there.
   */
  public List<String> ghostAt(long step) {
    return ghost.getOrDefault(step, List.of());
  }

  public long steps() {
    return steps;
  }

  public List<String> names() {
    return names;
  }
}
