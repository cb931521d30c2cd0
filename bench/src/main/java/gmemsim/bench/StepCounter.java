package gmemsim.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The steps (deliveries) the runs of one iteration made. Runs differ wildly in length (a split
 * that gives up is 40x shorter than one that succeeds), so runs/s alone says little about the
 * runtime's speed; JMH turns this counter into steps/s printed next to runs/s, the figure
 * {@code gmemsim run} prints in its summary.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class StepCounter {
  public long steps;

  @Setup(Level.Iteration)
  public void reset() {
    steps = 0;
  }
}
