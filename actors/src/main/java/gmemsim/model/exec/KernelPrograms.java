package gmemsim.model.exec;

import gmemsim.lang.Compiler;
import gmemsim.lang.KcException;
import gmemsim.lang.Program;
import gmemsim.lang.SourceFile;
import gmemsim.scenario.Knob;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kernel functions a scenario runs: the built-in files, the variant files its design knobs
 * choose (a knob value is a named set of files, as P swaps a module), and its own patch files
 * ({@code kernel.patch}), each layer replacing functions of the same name in the one below.
 * Compiled once per scenario; a mistake in any file is bad input naming its file, line and column.
 */
public final class KernelPrograms {
  private KernelPrograms() {}

  public static Program of(Scenario s) {
    return s.memo("kernel program", () -> compile(s));
  }

  private static Program compile(Scenario s) {
    KernelSources k = KernelSources.get();
    List<Compiler.Layer> layers = new ArrayList<>();
    layers.add(new Compiler.Layer("the built-in files", k.builtIn()));
    List<SourceFile> variant = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<SourceFile>>> e : k.variants().entrySet()) {
      Knob knob = Knobs.all().get(e.getKey());
      if (knob == null) throw new IllegalStateException("kernel/variants.conf names " + e.getKey() + ", which is no knob");
      String value = s.string(knob);
      List<SourceFile> files = e.getValue().get(value);
      if (files == null) {
        throw new IllegalStateException("kernel/variants.conf has no entry for " + e.getKey() + " = " + value);
      }
      variant.addAll(files);
    }
    layers.add(new Compiler.Layer("the design knobs' variant files", variant));
    List<SourceFile> patch = new ArrayList<>();
    for (String f : s.strings(Knobs.KERNEL_PATCH)) patch.add(read(s, f));
    layers.add(new Compiler.Layer("the scenario's patch files", patch));
    try {
      return Compiler.compile(layers, KernelExterns.INSTANCE);
    } catch (KcException e) {
      throw new ScenarioException(e.getMessage(), e);
    }
  }

  private static SourceFile read(Scenario s, String name) {
    Path base = Path.of(s.source()).toAbsolutePath().getParent();
    Path p = base == null ? Path.of(name) : base.resolve(name);
    if (Files.isDirectory(p)) throw new ScenarioException(s.where(Knobs.KERNEL_PATCH) + ": " + name + " is a directory, not a source file");
    try {
      return new SourceFile(name, SourceFile.Origin.patch(s.name()), Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ScenarioException(s.where(Knobs.KERNEL_PATCH) + ": cannot read the patch " + name + " (" + p + "): "
          + e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase());
    }
  }
}
