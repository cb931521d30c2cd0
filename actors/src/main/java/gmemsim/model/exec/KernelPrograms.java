package gmemsim.model.exec;

import gmemsim.lang.Compiler;
import gmemsim.lang.KcException;
import gmemsim.lang.Program;
import gmemsim.lang.SourceFile;
import gmemsim.scenario.Knob;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
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
      String value = s.peek(knob);
      List<SourceFile> files = e.getValue().get(value);
      if (files == null) {
        throw new IllegalStateException("kernel/variants.conf has no entry for " + e.getKey() + " = " + value);
      }
      variant.addAll(files);
    }
    layers.add(new Compiler.Layer("the design knobs' variant files", variant));
    List<SourceFile> patch = new ArrayList<>();
    List<String> names = s.strings(Knobs.KERNEL_PATCH);
    List<String> texts = s.strings(Knobs.KERNEL_PATCH_TEXT);
    if (texts.size() != names.size()) {
      throw new ScenarioException(s.where(Knobs.KERNEL_PATCH_TEXT) + ": " + texts.size() + " texts for the " + names.size()
          + " files of kernel.patch (kernel.patch-text is filled in when the scenario is loaded; leave it out)");
    }
    for (int i = 0; i < names.size(); i++) {
      patch.add(new SourceFile(names.get(i), SourceFile.Origin.patch(s.name()), texts.get(i)));
    }
    layers.add(new Compiler.Layer("the scenario's patch files", patch));
    // Hunts of one scenario in one JVM (gmemsim bench's seeds, --variants' runs of a variant)
    // load it anew each time; they share the program, and with it its JVM code (JvmCode).
    List<Object> key = List.of(k, s.name(), variant, names, texts);
    synchronized (RECENT) {
      Program known = RECENT.get(key);
      if (known != null) return known;
    }
    Program p;
    try {
      p = Compiler.compile(layers, KernelExterns.INSTANCE);
    } catch (KcException e) {
      throw new ScenarioException(e.getMessage(), e);
    }
    synchronized (RECENT) {
      RECENT.put(key, p);
    }
    return p;
  }

  /** The programs compiled last, by what they were compiled from. */
  private static final Map<List<Object>, Program> RECENT = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<List<Object>, Program> eldest) {
      return size() > 8;
    }
  };

  /**
   * Records that an actor's program calls kernel function entry: every design knob whose variant
   * files define a function entry reaches counts as read (by that actor), so a knob no code of
   * the scenario reaches is reported as one nothing reads.
   */
  public static void noteEntry(Scenario s, Program p, String entry) {
    // Reads are recorded while the first machine is built: a path is made per call of every run,
    // and after the first machine marking a knob read changes nothing.
    if (s.built()) return;
    List<Knob> knobs = s.memo(new Reach(p, entry), () -> {
      java.util.Set<String> reach = reachable(p, entry);
      List<Knob> ks = new ArrayList<>();
      for (Map.Entry<String, java.util.Set<String>> e : variantFunctions().entrySet()) {
        if (e.getValue().stream().anyMatch(reach::contains)) ks.add(Knobs.all().get(e.getKey()));
      }
      return ks;
    });
    for (Knob k : knobs) s.markRead(k);
  }

  private record Reach(Program p, String entry) {}

  /** The functions entry calls, directly or not (CALL instructions, the static call graph). */
  static java.util.Set<String> reachable(Program p, String entry) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.ArrayDeque<gmemsim.lang.Fn> work = new java.util.ArrayDeque<>();
    gmemsim.lang.Fn e = p.fn(entry);
    if (e == null) return seen;
    work.add(e);
    seen.add(e.name);
    while (!work.isEmpty()) {
      gmemsim.lang.Fn f = work.poll();
      for (int pc = 0; pc < f.code.length; pc += 1 + gmemsim.lang.Op.operands(f.code[pc])) {
        if (f.code[pc] != gmemsim.lang.Op.CALL) continue;
        gmemsim.lang.Fn callee = p.fn(f.code[pc + 1]);
        if (seen.add(callee.name)) work.add(callee);
      }
      for (int i : f.inlined) {
        gmemsim.lang.Fn callee = p.fn(i);
        if (seen.add(callee.name)) work.add(callee);
      }
    }
    return seen;
  }

  private static volatile Map<String, java.util.Set<String>> variantFunctions;

  /** Knob -> the names of the functions any of its values' files define. */
  private static Map<String, java.util.Set<String>> variantFunctions() {
    Map<String, java.util.Set<String>> v = variantFunctions;
    if (v == null) {
      v = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, Map<String, List<SourceFile>>> e : KernelSources.get().variants().entrySet()) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (List<SourceFile> files : e.getValue().values()) {
          for (SourceFile f : files) for (gmemsim.lang.Ast.Func fn : gmemsim.lang.Parser.parse(f).funcs()) names.add(fn.name());
        }
        v.put(e.getKey(), names);
      }
      variantFunctions = v;
    }
    return v;
  }


}
