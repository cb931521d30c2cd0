package gmemsim.runtime;

import java.util.List;

/**
 * How a hunt spread over a cluster went (swarm placement): per node the runs it made, the nodes
 * lost and when, and the runs handed out again because a lost node had them in hand.
 *
 * @param coordinatorMicrosPerLease the coordinator's own time per lease (merge one range's
 *     results, hand out the next), the figure that bounds how many nodes it can feed
 * @param lease what one piece of work is: "seed range" (a sampling hunt) or "piece of the search" (dfs)
 */
public record ClusterReport(
    String placement,
    List<NodeStats> nodes,
    List<NodeLoss> losses,
    long reissuedRuns,
    long leases,
    double coordinatorMicrosPerLease,
    boolean everyRunMadeOnce,
    String lease) {

  /**
   * @param busySeconds wall time the node's workers spent making runs, summed over them
   * @param workers the node's worker threads
   * @param findings oracle -> the runs it fired in among the node's runs
   */
  public record NodeStats(String node, long runs, long steps, long leases, double busySeconds, int workers,
      java.util.Map<String, Long> findings) {
    /** Steps per second of one worker while it works. */
    public double stepsPerSec() {
      return busySeconds == 0 ? 0 : steps / busySeconds;
    }
  }

  /** @param why unreachable, removed from the cluster, or its worker stopped */
  public record NodeLoss(String node, long atMs, long runsReissued, String why) {}
}
