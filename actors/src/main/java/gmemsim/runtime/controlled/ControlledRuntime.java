package gmemsim.runtime.controlled;

import com.typesafe.config.Config;
import gmemsim.runtime.Coverage;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.runtime.RuntimeKind;
import gmemsim.runtime.Runtimes;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import java.util.List;

/** One thread per run; a seeded strategy picks every step ({@link ControlledRun}). */
public final class ControlledRuntime implements RuntimeKind {
  @Override
  public String name() {
    return Runtimes.CONTROLLED;
  }

  @Override
  public String description() {
    return "one thread, a strategy (" + String.join(", ", Hunt.strategies()) + ") picks every step";
  }

  @Override
  public HuntResult huntAlone(Scenario s, Hunt.Options o, Hunt.Progress p, Config clusterOverlay) {
    return Hunt.run(s, o, p);
  }

  @Override
  public boolean componentsAreActors() {
    return false;
  }

  @Override
  public List<String> benchStrategies(List<String> asked) {
    List<String> names = asked == null ? List.of("mix", "pct", "pct-racing", "pos", "random") : asked;
    for (String n : names) {
      if (!Hunt.strategies().contains(n)) throw new ScenarioException("--strategy " + n + ": not one of " + Hunt.strategies());
    }
    return names;
  }

  @Override
  public long pctK(Scenario s, Hunt.Options o) {
    return o.strategy().equals("pct") || o.strategy().equals("mix") ? Hunt.pctK(s, o.seed(), o.maxSteps())
        : o.strategy().equals("pct-racing") ? Hunt.racingK(s, o.seed(), o.maxSteps()) : 0;
  }

  @Override
  public String strategyLabel(Hunt.Options o) {
    return o.strategy();
  }

  @Override
  public Coverage coverage(Scenario s) {
    return s.bool(Knobs.COVERAGE) ? new Coverage() : null;
  }
}
