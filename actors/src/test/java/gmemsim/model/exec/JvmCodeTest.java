package gmemsim.model.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gmemsim.lang.Compiler;
import gmemsim.lang.Program;
import gmemsim.lang.SourceFile;
import gmemsim.oracle.Oracles;
import gmemsim.runtime.Hunt;
import gmemsim.runtime.HuntResult;
import gmemsim.scenario.Budget;
import gmemsim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Kernel functions compiled to JVM code compute what the interpreter computes, step for step. */
class JvmCodeTest {
  private static final String SOURCE = String.join("\n",
      "long mix(long a, long b)",
      "{",
      "\tlong x = 0;",
      "\tlong i;",
      "\tlong *p = &x;",
      "",
      "\tfor (i = 0; i < a; i++) {",
      "\t\t*p += (i * b) ^ (i << 3) | (b >> 1);",
      "\t\tif (i % 3 == 0 && !(i & 1))",
      "\t\t\tx -= -i;",
      "\t\telse if (i >= 5 || i != 2)",
      "\t\t\tx = ~x + (i <= 4) - (i > 7);",
      "\t}",
      "\treturn x / (b ? b : 1) + x % 7;",
      "}",
      "",
      "long quotient(long a, long b)",
      "{",
      "\treturn a / b;",
      "}",
      "",
      "void spin(void)",
      "{",
      "\tfor (;;)",
      "\t\t;",
      "}",
      "");

  private static Program program() {
    return Compiler.compile(List.of(new Compiler.Layer("test", List.of(new SourceFile("mix.c", SourceFile.Origin.BUILT_IN, SOURCE)))),
        KernelExterns.INSTANCE);
  }

  /** The value, or the message of what was thrown, with compiling on and off. */
  private static <T> void same(Supplier<T> run) {
    Object compiled;
    Object interpreted;
    try {
      JvmCode.enable(true);
      compiled = outcome(run);
      JvmCode.enable(false);
      interpreted = outcome(run);
    } finally {
      JvmCode.enable(true);
    }
    assertEquals(interpreted, compiled);
  }

  private static Object outcome(Supplier<?> run) {
    try {
      return run.get();
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
  }

  private static long call(Program p, String fn, long... args) {
    return new NoStepCall(p).run(fn, args).value();
  }

  @Test
  void arithmeticPointersBranchesAndLoopsComputeTheSame() {
    Program p = program();
    assertNotNull(JvmCode.segments(p)[p.fn("mix").index], "mix() is compiled");
    for (long a : new long[] {0, 1, 2, 9, 40}) {
      for (long b : new long[] {0, 1, -3, 7, 1L << 40}) same(() -> call(p, "mix", a, b));
    }
    same(() -> call(p, "quotient", 7, 2));
  }

  @Test
  void aDivisionByZeroAndAnEndlessLoopFailAlikeWithTheirLine() {
    Program p = program();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> call(p, "quotient", 1, 0));
    assertEquals("quotient(): division by zero at mix.c:19:11", e.getMessage().replaceAll("at \\S*mix.c", "at mix.c"));
    same(() -> call(p, "quotient", 1, 0));
    same(() -> call(p, "spin"));
  }

  @Test
  void huntsMakeTheSameRunsStepsAndFindings() {
    for (String scenario : List.of("split-vs-tryget", "fault-vs-punch-hole", "guest-memfd-abi")) {
      same(() -> {
        HuntResult r = Hunt.run(new ScenarioLoader(Oracles.names()).load(Path.of("..", "scenarios", scenario + ".conf"), List.of()),
            new Hunt.Options(1, "pct", 4, Budget.parse("200runs"), 1_000_000), null);
        return r.runs() + " runs, " + r.steps() + " steps, " + r.findings().keySet();
      });
    }
  }
}
