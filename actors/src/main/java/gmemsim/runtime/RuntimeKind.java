package gmemsim.runtime;

import com.typesafe.config.Config;
import gmemsim.scenario.Scenario;
import java.util.List;

/**
 * Where a machine's runs are made: one kind per class, found by name through {@link Runtimes}
 * (the house idiom for strategies and design variants), so the commands, the swarm and the
 * reports ask the kind instead of comparing its name.
 */
public interface RuntimeKind {
  /** The name users give to {@code --runtime}. */
  String name();

  /** One line for {@code gmemsim list}. */
  String description();

  /** A hunt on this JVM alone. */
  HuntResult huntAlone(Scenario s, Hunt.Options o, Hunt.Progress p, Config clusterOverlay);

  /**
   * Whether every component is an actor whose messages may cross nodes (then a result has a
   * placement and a count of cross-node messages, and spread placement is possible); otherwise a
   * seeded strategy picks every step of a run on one thread.
   */
  boolean componentsAreActors();

  /** The strategies a bench compares, from those asked (null: the default set). */
  List<String> benchStrategies(List<String> asked);

  /** pct's bound on the run length for this hunt, 0 where no pct strategy picks the steps. */
  long pctK(Scenario s, Hunt.Options o);

  /** The strategy a result names: the seeded one, or the runtime itself where timing chooses. */
  String strategyLabel(Hunt.Options o);

  /** Step-outcome coverage for this hunt when the scenario asks for it and the runtime can count it, else null. */
  Coverage coverage(Scenario s);
}
