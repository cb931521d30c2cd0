package gmemsim.runtime.swarm;

import akka.actor.typed.ActorRef;
import gmemsim.runtime.Finding;
import gmemsim.runtime.akka.WireMessage;
import java.util.List;
import java.util.Map;

/**
 * Messages of swarm placement: every node runs whole machines, the coordinator leases seed
 * ranges (runs [first, first + count) of the hunt's seed) to the workers that ask for work, and
 * merges what each range found. Every record here crosses nodes and is registered with Kryo.
 */
public final class SwarmProtocol {
  private SwarmProtocol() {}

  /** What the coordinator handles. */
  public interface CoordinatorMsg {}

  /** What a worker handles. */
  public interface WorkerMsg {}

  /** A worker found the coordinator and offers to work; {@code node} is its cluster address. */
  public record Join(ActorRef<WorkerMsg> worker, String node) implements CoordinatorMsg, WireMessage {}

  /**
   * The hunt every lease belongs to: the scenario's effective knobs, and what makes run i the same
   * run on every node (seed, strategy, pct's depth and its calibrated k, the step limit), and the
   * runtime a node makes its runs in (a {@link gmemsim.runtime.Runtimes} name).
   */
  public record Setup(
      ActorRef<CoordinatorMsg> coordinator,
      Map<String, Object> knobs,
      long seed,
      String strategy,
      int pctDepth,
      long pctK,
      long maxSteps,
      String runtime)
      implements WorkerMsg, WireMessage {}

  /** The worker has no range in hand: lease it one. */
  public record Pull(ActorRef<WorkerMsg> worker) implements CoordinatorMsg, WireMessage {}

  /** Make runs [first, first + count); {@code lease} names this hand-out (a re-issue gets a new one). */
  public record Lease(long lease, long first, int count) implements WorkerMsg, WireMessage {}

  /**
   * A lease done: its steps, runs stopped at the step limit, the wall time it took on the worker,
   * per oracle the runs it fired in with the lowest of them to replay, the range's step-outcome and
   * race-window coverage (null with run.coverage off); or the error a run
   * threw (runs before it are counted, the ones after are not made).
   */
  public record RangeDone(
      ActorRef<WorkerMsg> worker,
      long lease,
      long first,
      int count,
      long steps,
      long truncated,
      Map<String, Long> cutShort,
      long faulted,
      long workerNanos,
      List<Finding> findings,
      gmemsim.runtime.Coverage.Snapshot coverage,
      String error)
      implements CoordinatorMsg, WireMessage {}

  /** The hunt is over. */
  public record Stop() implements WorkerMsg, WireMessage {}
}
