package gmemsim.report;

import gmemsim.model.Component;
import gmemsim.model.Machine;
import gmemsim.model.MachineBuilder;
import gmemsim.oracle.Violation;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.ReplayStrategy;
import gmemsim.runtime.RunResult;
import gmemsim.scenario.Scenario;
import gmemsim.trace.TraceLine;
import gmemsim.trace.TraceRecorder;
import java.util.List;

/**
 * A recorded violating run, re-executed step for step with a trace recorder: what the text trace
 * and the HTML report show. Re-executing (rather than tracing every hunt run) keeps hunts fast;
 * the schedule makes it exact.
 *
 * @param want the violation the hunt recorded
 * @param got the same oracle's first violation in the re-execution, or null
 * @param ghost ghost facts right after the violating step, about the pages it names
 * @param lanes every component's name, by index
 * @param laneKinds what each component models, for lane headers
 * @param divergence why the schedule could not be followed, or null
 * @param boot what the run noted before its first step
 */
public record ViolationTrace(
    Violation want,
    Violation got,
    List<TraceLine> lines,
    List<Violation> atEnd,
    List<String> ghost,
    List<String> lanes,
    List<String> laneKinds,
    String divergence,
    List<String> boot) {

  public boolean reproduced() {
    return divergence == null && got != null && got.step() == want.step();
  }

  public static ViolationTrace replay(
      Scenario s, long runSeed, long[] schedule, long maxSteps, Violation want) {
    Machine m = MachineBuilder.build(s);
    List<String> kinds = m.components().stream().map(ViolationTrace::kind).toList();
    TraceRecorder rec = new TraceRecorder();
    String divergence = null;
    Violation got = null;
    try {
      RunResult r = Hunt.runOnce(s, runSeed, new ReplayStrategy(schedule), maxSteps, rec);
      got = r.violations().stream().filter(v -> v.oracle().equals(want.oracle())).findFirst().orElse(null);
      // The sample clean run reproduces when it runs to its end with no oracle firing.
      if (want.oracle().equals(gmemsim.runtime.Coverage.SAMPLE) && r.violations().isEmpty() && r.steps() == want.step()) got = want;
    } catch (ReplayStrategy.ScheduleDivergence e) {
      divergence = e.getMessage();
    }
    return new ViolationTrace(
        want, got, List.copyOf(rec.lines()), List.copyOf(rec.atEnd()), rec.ghostAt(want.step()),
        rec.names(), kinds, divergence, rec.boot());
  }

  /** The lane header under a component's name: which part of the machine it models. */
  static String kind(Component c) {
    return switch (c.getClass().getSimpleName()) {
      case "HostThread" -> "host thread";
      case "Cpu" -> "CPU: its paths, TLB, guest TLB";
      case "Kvm" -> "KVM MMU (EPT, mmu_lock)";
      case "GmemInode" -> "guest_memfd inode";
      case "Memory" -> "struct pages, allocator";
      case "DirectMap" -> "kernel direct map";
      case "Futex" -> "futex (VMM wait)";
      case "VirtioBalloon" -> "virtio-balloon queue";
      default -> c.getClass().getSimpleName();
    };
  }
}
