package gmemsim.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.exec.KernelExterns;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Calls of small stepless functions are expanded in place: same results, same steps, no frame. */
class InlinerTest {
  private static final String SRC = """
      static int clamp(int x, int lo, int hi)
      {
              int r = x;

              if (x < lo)
                      return lo;
              if (x > hi)
                      r = hi;
              return r;
      }

      static void nothing(int x)
      {
      }

      static int twice_clamped(int x)
      {
              return 2 * clamp(x, 2, 10);
      }

      int sum_clamped(int n)
      {
              int i, s = 0;

              for (i = 0; i < n; i++) {
                      nothing(i);
                      s += twice_clamped(i * 3);
              }
              return s;
      }

      int fact(int n)
      {
              if (n <= 1)
                      return 1;
              return n * fact(n - 1);
      }

      int use_fact(int n)
      {
              return fact(n) + clamp(n, 0, 1);
      }

      int put_twice(struct folio *folio)
      {
              folio_put(folio);
              folio_put(folio);
              return clamp(7, 0, 5);
      }
      """;

  private static Program compile() {
    return Compiler.compile(List.of(new Compiler.Layer("test", List.of(new SourceFile("t.c", SourceFile.Origin.BUILT_IN, SRC)))),
        KernelExterns.INSTANCE);
  }

  private static boolean calls(Fn f) {
    for (int pc = 0; pc < f.code.length; pc += 1 + Op.operands(f.code[pc])) if (f.code[pc] == Op.CALL) return true;
    return false;
  }

  private static List<String> inlined(Program p, String fn) {
    return Arrays.stream(p.fn(fn).inlined).mapToObj(i -> p.fn(i).name).sorted().toList();
  }

  @Test
  void aSteplessHelperIsExpandedAndComputesTheSame() {
    Program p = compile();
    assertTrue(!calls(p.fn("sum_clamped")), "sum_clamped still calls");
    assertEquals(List.of("clamp", "nothing", "twice_clamped"), inlined(p, "sum_clamped"));
    // 0, 3, 6, 9, 12 clamped to [2, 10] and doubled
    assertEquals(2 * (2 + 3 + 6 + 9 + 10), new KernelBench(SRC).run("sum_clamped", 5));
  }

  @Test
  void aRecursiveFunctionAndOneThatMakesStepsStayCalls() {
    Program p = compile();
    assertTrue(calls(p.fn("use_fact")), "fact() is recursive: its call stays");
    assertEquals(List.of("clamp"), inlined(p, "use_fact"));
    assertEquals(121, new KernelBench(SRC).run("use_fact", 5));
    assertTrue(calls(p.fn("fact")));
    KernelBench b = new KernelBench(SRC);
    int folio = b.mem.allocator().allocPages(0, "t0");
    b.mem.pages().folioRefAdd(folio, 1, "t0");
    assertEquals(5, b.run("put_twice", folio));
    assertEquals(2, b.steps.stream().filter(s -> s.startsWith("folio_put")).count(), b.steps.toString());
    assertEquals(List.of("clamp"), inlined(p, "put_twice"));
  }
}
