package gmemsim.cli;

import gmemsim.oracle.Oracles;
import gmemsim.runtime.Hunt;
import gmemsim.scenario.Knob;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import gmemsim.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/** {@code gmemsim list}: scenarios, every knob with default and description, oracles, strategies. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List scenarios, knobs, oracles, strategies.")
final class ListCommand implements Callable<Integer> {
  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    Path dir = scenariosDir();
    out.println("Scenarios (" + dir + "):");
    List<Path> files;
    try (Stream<Path> st = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
      files = st.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
    ScenarioLoader loader = new ScenarioLoader(Oracles.names());
    for (Path f : files) {
      String line;
      try {
        Scenario s = loader.load(f, List.of());
        line = s.string(Knobs.DESCRIPTION);
      } catch (ScenarioException e) {
        line = "(does not load: " + e.getMessage() + ")";
      }
      out.printf("  %-28s %s%n", f.getFileName(), line);
    }
    out.println();
    out.println("Knobs (key = default: description):");
    for (Knob k : Knobs.all().values()) {
      out.printf("  %s = %s%n      %s%n", k.key(), k.defaultText().isEmpty() ? "\"\"" : k.defaultText(), k.description());
      if (!k.allowed().isEmpty()) out.printf("      values: %s%n", String.join(" | ", k.allowed()));
    }
    out.println();
    out.println("Oracles:");
    for (String o : Oracles.names()) out.printf("  %-16s %s%n", o, Oracles.description(o));
    out.println();
    out.println("Strategies (controlled runtime): " + String.join(", ", Hunt.strategies()));
    out.println("Runtimes: controlled (one thread, a strategy picks every step), akka (every component an actor; --nodes, or gmemsim cluster)");
    return Main.MATCH;
  }

  private static Path scenariosDir() {
    String home = System.getProperty("gmemsim.home");
    Path local = Path.of("scenarios");
    if (Files.isDirectory(local) || home == null) return local;
    return Path.of(home, "scenarios");
  }
}
