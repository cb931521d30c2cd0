package gmemsim.model;

import gmemsim.oracle.Oracles;
import gmemsim.oracle.Violation;
import gmemsim.runtime.DeliveryListener;
import gmemsim.runtime.Envelope;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.RandomStrategy;
import gmemsim.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.List;

/** The steps each component of one run sent, in delivery order, as "kernel step@receiver". */
public final class StepLog {
  private StepLog() {}

  public static List<List<String>> sentSteps(String scenario, long seed, String... sets) {
    var s = new ScenarioLoader(Oracles.names()).load(java.nio.file.Path.of("..", "scenarios", scenario), List.of(sets));
    List<List<String>> out = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Hunt.runOnce(s, seed, new RandomStrategy(), 1_000_000, new DeliveryListener() {
      @Override
      public void onStart(List<String> n) {
        names.addAll(n);
        for (int i = 0; i < n.size(); i++) out.add(new ArrayList<>());
      }

      @Override
      public void onDelivery(long step, Envelope e, List<String> notes, List<Violation> fired) {
        out.get(e.from()).add(e.msg().step() + "@" + names.get(e.to()));
      }

      @Override
      public void onEnd(long steps, List<Violation> fired) {}
    });
    return out;
  }
}
