package gmemsim.runtime.swarm;

import akka.actor.typed.ActorRef;
import gmemsim.runtime.Finding;
import gmemsim.runtime.akka.WireMessage;
import gmemsim.runtime.dfs.DfsStrategy;
import java.util.List;
import java.util.Map;

/**
 * Messages of an exhaustive search spread over the swarm: the coordinator splits the search into
 * pieces (a fixed prefix of choices each) and hands them out through Akka's work pulling; a worker
 * searches its piece whole and answers. Every record here crosses nodes and is registered with Kryo.
 */
public final class PieceProtocol {
  private PieceProtocol() {}

  /**
   * Search piece {@code index}: the scenario's effective knobs and what makes its runs the same on
   * every node (seed, step limit), and what is left of the whole search's budget when handed out.
   *
   * @param budgetMillis wall time the piece may take (0: a runs budget)
   * @param budgetRuns runs the piece may make (0: a time budget)
   */
  public record Job(int index, Map<String, Object> knobs, long seed, long maxSteps, DfsStrategy.Wire piece,
      long budgetMillis, long budgetRuns, ActorRef<SwarmProtocol.CoordinatorMsg> replyTo) implements WireMessage {}

  /**
   * Piece {@code index} searched on {@code node}: its runs, with findings numbered from the piece's
   * first run (the coordinator numbers them in the whole search's order).
   *
   * @param finished the piece was searched to its end
   * @param nanos the worker's wall time for the piece
   */
  public record Done(int index, String node, long runs, long steps, long truncated, long complete, long stopped,
      int deepest, boolean finished, List<Finding> findings, String error, long nanos)
      implements SwarmProtocol.CoordinatorMsg, WireMessage {}
}
