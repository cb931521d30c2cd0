package gmemsim.bench;

import gmemsim.model.MachineBuilder;
import gmemsim.oracle.Oracles;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a scenario the way {@code gmemsim run} does (loader, then the machine-level checks), from
 * a path given relative to the repository root. JMH forks keep the working directory of
 * {@code java -jar bench/target/benchmarks.jar}, which is the repository root or, when started
 * from the module, {@code bench/}; both are tried, so the {@code @Param} values stay readable.
 */
final class ScenarioFiles {
  private ScenarioFiles() {}

  static Scenario load(String path) {
    Scenario s = new ScenarioLoader(Oracles.names()).load(resolve(path), List.of());
    MachineBuilder.validate(s);
    return s;
  }

  static Path resolve(String path) {
    Path p = Path.of(path);
    if (p.isAbsolute() || Files.isRegularFile(p)) return p;
    Path up = Path.of("..").resolve(p);
    if (Files.isRegularFile(up)) return up;
    throw new IllegalStateException(
        "scenario " + path + " not found from " + Path.of("").toAbsolutePath()
            + " (run the benchmarks from the repository root or from bench/)");
  }
}
