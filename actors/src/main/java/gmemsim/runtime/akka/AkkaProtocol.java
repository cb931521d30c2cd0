package gmemsim.runtime.akka;

import akka.actor.typed.ActorRef;
import gmemsim.model.Component;
import gmemsim.model.Msg;
import gmemsim.oracle.Violation;
import java.util.List;
import java.util.Map;

/**
 * Messages of the Akka runtime: between the hunt coordinator, the guardian of each node and the
 * component actors. Model messages travel inside {@link Deliver}. Records marked {@link
 * WireMessage} may cross nodes and are registered with Kryo; the others stay in their JVM.
 */
public final class AkkaProtocol {
  private AkkaProtocol() {}

  /** What a node guardian handles. */
  public interface GuardianMsg {}

  /** What the hunt coordinator handles. */
  public interface CoordinatorMsg {}

  /** What a component actor handles. */
  public interface ComponentMsg {}

  // ---- model traffic ---------------------------------------------------------------------------

  /** One model message, with the id the controlled runtime would give it, for run {@code run}. */
  public record Deliver(long id, int from, int to, int lane, long run, Msg msg)
      implements ComponentMsg, WireMessage {}

  // ---- coordinator <-> guardian ------------------------------------------------------------------

  /** The coordinator introduces itself; the guardian answers with its node's roles. */
  public record Hello(ActorRef<CoordinatorMsg> coordinator) implements GuardianMsg, WireMessage {}

  public record HelloBack(ActorRef<GuardianMsg> guardian, String node, List<String> roles)
      implements CoordinatorMsg, WireMessage {}

  /**
   * Host these components (by index in the machine) for each of {@code slots} parallel runs of
   * the scenario described by {@code knobs}.
   */
  public record Setup(Map<String, Object> knobs, int slots, List<Integer> components)
      implements GuardianMsg, WireMessage {}

  /** The actor hosting one component of one slot. */
  public record Placed(int slot, int component, ActorRef<ComponentMsg> ref) implements WireMessage {}

  public record SetupDone(ActorRef<GuardianMsg> guardian, List<Placed> placed)
      implements CoordinatorMsg, WireMessage {}

  /** Every slot's actor table, indexed by component: how actors address each other. */
  public record Directory(List<List<ActorRef<ComponentMsg>>> bySlot)
      implements GuardianMsg, WireMessage {}

  public record DirectoryAck(ActorRef<GuardianMsg> guardian) implements CoordinatorMsg, WireMessage {}

  /**
   * Build the machine afresh for run {@code run} in this slot and attach it to the actors.
   *
   * @param stepNanos measured wall time of one step, the unit preemption delays are drawn in
   * @param runSteps measured length of a run in steps, the longest stagger gap
   * @param replyTo the run's conversation, which every answer about this run goes to
   */
  public record BeginRun(int slot, long run, long runSeed, long stepNanos, long runSteps, ActorRef<CoordinatorMsg> replyTo)
      implements GuardianMsg, WireMessage {}

  public record Ready(int slot, long run) implements CoordinatorMsg, WireMessage {}

  /** Start the threads. */
  public record Go(int slot, long run) implements GuardianMsg, WireMessage {}

  /** Run the end-of-run checks (none when the run was cut short by its step limit) and report. */
  public record EndRun(int slot, long run, boolean truncated) implements GuardianMsg, WireMessage {}

  /** @param preempted thread steps a timing fault held back in this run (preemption, stall, pace, start delay; not a spinner's back-off) */
  public record Ended(
      int slot, long run, long steps, long preempted, long crossNode, List<Violation> violations)
      implements CoordinatorMsg, WireMessage {}

  /** Count messages sent and received in this run (quiescence and loss detection). */
  public record Probe(int slot, long run, int round) implements GuardianMsg, WireMessage {}

  /**
   * @param parked sends held back by preemption, not yet sent
   * @param laneSent per lane ({@link gmemsim.runtime.Envelope#lane}): messages sent, parked ones included
   * @param laneReceived per lane: messages received
   */
  public record ProbeReply(
      int slot, long run, int round, long sent, long received, long parked, long[] laneSent, long[] laneReceived)
      implements CoordinatorMsg, WireMessage {}

  /** Send the receive logs of this run's state owners to the coordinator. */
  public record GetLogs(int slot, long run) implements GuardianMsg, WireMessage {}

  public record Log(int slot, long run, int component, long[] ids)
      implements CoordinatorMsg, WireMessage {}

  /** The hunt is over: stop the node. */
  public record Shutdown() implements GuardianMsg, WireMessage {}

  // ---- component actor -> coordinator ---------------------------------------------------------

  public record ThreadDone(int slot, long run, int component) implements CoordinatorMsg, WireMessage {}

  /**
   * A component handled run.max-steps messages of this run: it handles no more of them (the run
   * is truncated, as the controlled runtime truncates a run at its step limit).
   */
  public record StepLimit(int slot, long run, int component) implements CoordinatorMsg, WireMessage {}

  /**
   * A thread went round {@code LivelockWatch.SUSPECT_ROUNDS} retries in a row, and again every
   * {@code LivelockWatch.REPORT_EVERY} more ({@code spinning}), or did work again after it had said
   * so. The Akka runtime's half of the controlled runtime's livelock test: no component sees every
   * message in flight, but each thread knows it spins.
   */
  public record Spinning(int slot, long run, int component, boolean spinning)
      implements CoordinatorMsg, WireMessage {}

  // ---- coordinator -> guardian (a run suspected of livelock) ------------------------------------

  /** Only spinning threads had work for a while: the components of this run handle no more of its messages. */
  public record CutRun(int slot, long run) implements GuardianMsg, WireMessage {}

  // ---- guardian -> local component actors (never serialized) ----------------------------------

  /** Local only: the component instance for this run, and where everyone is. */
  public record Attach(
      Component component,
      long run,
      long runSeed,
      List<ActorRef<ComponentMsg>> directory,
      boolean[] executors,
      ActorRef<CoordinatorMsg> conversation,
      long maxSteps,
      TimingFaults faults,
      int slot)
      implements ComponentMsg, akka.actor.NoSerializationVerificationNeeded {}

  /** Local only: start the thread's first path. */
  public record Boot(long run) implements ComponentMsg, akka.actor.NoSerializationVerificationNeeded {}

  /** Local only: run the end-of-run checks, report to the guardian. */
  public record Quiesce(long run, boolean truncated, ActorRef<GuardianMsg> replyTo)
      implements ComponentMsg, akka.actor.NoSerializationVerificationNeeded {}

  public record Quiesced(
      int slot, long run, long steps, long preempted, long crossNode, List<Violation> violations)
      implements GuardianMsg, akka.actor.NoSerializationVerificationNeeded {}

  /** Local only: report counters to the guardian. */
  public record CountersPlease(long run, int round, ActorRef<GuardianMsg> replyTo)
      implements ComponentMsg, akka.actor.NoSerializationVerificationNeeded {}

  public record Counters(
      int slot, long run, int round, long sent, long received, long parked, long[] laneSent, long[] laneReceived)
      implements GuardianMsg, akka.actor.NoSerializationVerificationNeeded {}

  /** Local only: the preemption of this thread is over; send its step now. */
  public record SendNow(Deliver deliver) implements ComponentMsg, akka.actor.NoSerializationVerificationNeeded {}

  /** Local only: handle no more of this run's messages (see {@link CutRun}). */
  public record Cut(long run) implements ComponentMsg, akka.actor.NoSerializationVerificationNeeded {}

  /** Local only: send the receive log to the coordinator. */
  public record SendLog(long run) implements ComponentMsg, akka.actor.NoSerializationVerificationNeeded {}
}
