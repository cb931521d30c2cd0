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
  @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "SCENARIO",
      description = "with a scenario file: its knobs, each with the actors that read it")
  private Path scenario;

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    if (scenario != null) return knobReaders(out);
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
    out.println("Actor kinds (actors = [ { name, kind, program } ]):");
    for (gmemsim.model.program.ActorKind k : gmemsim.model.program.ActorKinds.all().values()) {
      out.printf("  %-8s %s%n           runs: %s operations%n", k.name(), k.description(),
          k.domains().stream().map(d -> d.name().toLowerCase()).sorted().toList());
    }
    out.println();
    out.println("Operations ({ op = name, arg = value, ..., repeat = n, expect = result }):");
    for (gmemsim.model.program.Op op : gmemsim.model.program.Ops.all().values()) {
      gmemsim.model.program.OpSpec o = op.spec();
      out.printf("  %s (%s): %s%n", o.name(), o.domain().name().toLowerCase(), o.description());
      for (gmemsim.model.program.Param p : o.params()) {
        out.printf("      %-12s %s%s%n", p.name(), p.description(), p.def() == null ? " (required)" : " (default " + p.def() + ")");
      }
      out.printf("      results: %s%n", o.results().isEmpty() ? "none a program can check" : String.join(" | ", o.results()));
      out.printf("      models: %s%n", o.upstream());
    }
    out.println();
    KernelListing.primitives(out);
    KernelListing.sources(out, gmemsim.lang.Compiler.compile(List.of(new gmemsim.lang.Compiler.Layer("built in",
        gmemsim.model.exec.KernelSources.get().builtIn())), gmemsim.model.exec.KernelExterns.INSTANCE));
    out.println();
    out.println("Oracles:");
    for (String o : Oracles.names()) out.printf("  %-16s %s%n", o, Oracles.description(o));
    out.println();
    out.println("Strategies (controlled runtime): " + String.join(", ", Hunt.strategies()));
    out.println("Runtimes:");
    for (gmemsim.runtime.RuntimeKind k : gmemsim.runtime.Runtimes.all()) out.printf("  %-16s %s%n", k.name(), k.description());
    return Main.MATCH;
  }

  private Integer knobReaders(PrintStream out) {
    Scenario s;
    try {
      s = new ScenarioLoader(Oracles.names()).load(scenario, List.of());
      gmemsim.model.MachineBuilder.validate(s);
    } catch (ScenarioException e) {
      System.err.println("gmemsim: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    out.println("Knobs of " + scenario + " and who reads them while the machine is built:");
    var readers = s.readers();
    var effective = s.effective();
    for (Knob k : Knobs.all().values()) {
      var who = readers.get(k);
      if (who == null || k == Knobs.ACTORS) continue;
      Object v = k == Knobs.KERNEL_PATCH_TEXT ? "(the text of " + s.strings(k).size() + " patch file(s))" : effective.get(k.key());
      out.printf("  %s = %s%n      read by: %s%n", k.key(), v, String.join(", ", new java.util.TreeSet<>(who)));
    }
    List<Knob> silent = s.silentKnobs();
    if (!silent.isEmpty()) {
      out.println("Given but read by no actor (an error for run):");
      for (Knob k : silent) out.printf("  %s%n", s.where(k));
    }
    KernelListing.scenario(out, gmemsim.model.exec.KernelPrograms.of(s));
    return Main.MATCH;
  }

  private static Path scenariosDir() {
    String home = System.getProperty("gmemsim.home");
    Path local = Path.of("scenarios");
    if (Files.isDirectory(local) || home == null) return local;
    return Path.of(home, "scenarios");
  }
}
