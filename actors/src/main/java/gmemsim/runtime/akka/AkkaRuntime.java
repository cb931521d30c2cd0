package gmemsim.runtime.akka;

import com.typesafe.config.Config;
import gmemsim.runtime.Coverage;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.RuntimeKind;
import gmemsim.runtime.Runtimes;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import java.util.List;

/** Every component an actor; the actors' real timing (and the fault knobs) picks the interleaving. */
public final class AkkaRuntime implements RuntimeKind {
  @Override
  public String name() {
    return Runtimes.AKKA;
  }

  @Override
  public String description() {
    return "every component an actor, real parallelism (--nodes, or gmemsim cluster)";
  }

  @Override
  public HuntResult huntAlone(Scenario s, Hunt.Options o, Hunt.Progress p, Config clusterOverlay) {
    return AkkaHunt.runEmbedded(s, o, p, clusterOverlay);
  }

  @Override
  public boolean componentsAreActors() {
    return true;
  }

  @Override
  public List<String> benchStrategies(List<String> asked) {
    if (asked != null) {
      throw new ScenarioException("--strategy " + String.join(",", asked) + ": only with --runtime " + Runtimes.CONTROLLED
          + " (the actors' own timing interleaves akka runs)");
    }
    return List.of(name());
  }

  @Override
  public long pctK(Scenario s, Hunt.Options o) {
    return 0;
  }

  @Override
  public String strategyLabel(Hunt.Options o) {
    return name();
  }

  /** Runs interleave by timing, not by a strategy whose steps a counter could attribute. */
  @Override
  public Coverage coverage(Scenario s) {
    return null;
  }
}
