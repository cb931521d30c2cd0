package gmemsim.cli;

import gmemsim.lang.Fn;
import gmemsim.lang.Program;
import gmemsim.model.exec.Builtin;
import gmemsim.model.exec.KernelSources;
import gmemsim.model.prim.Prim;
import gmemsim.model.prim.Primitives;
import gmemsim.model.prim.Structs;
import java.io.PrintStream;
import java.util.Map;

/** What {@code gmemsim list} prints of the kernel source: primitives, builtins, fields, functions. */
final class KernelListing {
  private KernelListing() {}

  static void primitives(PrintStream out) {
    out.println("Primitives (one atomic step each, on the owner of the state it touches):");
    for (Prim p : Primitives.all()) {
      StringBuilder facts = new StringBuilder(p.owner().getSimpleName() + ", " + p.route().name().toLowerCase().replace('_', '-'));
      if (p.isDecision()) facts.append(", decides ").append(p.yes()).append(" | ").append(p.no());
      if (p.releasesLock()) facts.append(", releases a lock");
      if (p.blocks()) facts.append(", may sleep");
      if (p.ref() != gmemsim.model.prim.Ref.NONE) facts.append(", ref ").append(p.ref().name().toLowerCase());
      out.printf("  %s %s  [%s]%n      %s%n", p.ret(), p.signature(), facts, p.doc());
    }
    out.println();
    out.println("Builtins (no step: helpers, and markers the interpreter reads):");
    for (Builtin b : Builtin.values()) {
      out.printf("  %s %s(%s)%s%n      %s%n", b.ret, b.cname, String.join(", ", b.params), b.variadic ? " ..." : "", b.doc);
    }
    out.println();
    out.println("Kernel objects' fields (read with ->, no step; a lock's address goes to a lock primitive):");
    for (Map.Entry<String, String> e : Structs.docs().entrySet()) out.printf("  %-34s %s%n", e.getKey(), e.getValue());
  }

  /** The built-in functions, then each design knob's values and the functions their files replace. */
  static void sources(PrintStream out, Program builtIn) {
    out.println();
    out.println("Kernel functions, built in (kernel/):");
    for (Fn f : builtIn.functions()) out.printf("  %-40s %s%n", f.name + "()", f.pos.fileLine());
    out.println();
    out.println("Design knobs as variant files (kernel/variants.conf): value -> the files laid over the built-in ones");
    KernelSources.get().variants().forEach((knob, values) -> {
      out.printf("  %s%n", knob);
      values.forEach((v, files) -> out.printf("      %-24s %s%n", v,
          files.isEmpty() ? "the built-in functions" : String.join(", ", files.stream().map(gmemsim.lang.SourceFile::name).toList())));
    });
  }

  /** A scenario's functions with where each comes from (built in, a knob's variant, its patch). */
  static void scenario(PrintStream out, Program p) {
    out.println();
    out.println("Kernel functions of this scenario (name, where defined, where from):");
    for (Fn f : p.functions()) {
      String replaced = p.replaced().get(f.name);
      out.printf("  %-40s %-44s %s%s%n", f.name + "()", f.pos.fileLine(), f.origin,
          replaced == null ? "" : " (replaces " + replaced + ")");
    }
  }
}
