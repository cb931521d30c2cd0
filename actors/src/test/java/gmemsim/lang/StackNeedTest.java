package gmemsim.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.exec.KernelExterns;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A path is sized once for the deepest call chain its entry makes; a recursive one still runs past it. */
class StackNeedTest {
  private static final String SRC = """
      int leaf(int a, int b)
      {
              int x = a * b, y = a + b, z = a - b, w = a ^ b;

              if (z == 12345)
                      folio_put(a);
              return x + y + z + w;
      }

      int middle(int a)
      {
              if (a == 12345)
                      folio_put(a);
              return leaf(a, 2) + leaf(a, 3);
      }

      int top(int a)
      {
              if (a == 12345)
                      folio_put(a);
              return middle(a) + 1;
      }

      int fact(int n)
      {
              if (n <= 1)
                      return 1;
              return n * fact(n - 1);
      }
      """;

  private static Program compile() {
    return Compiler.compile(List.of(new Compiler.Layer("test", List.of(new SourceFile("t.c", SourceFile.Origin.BUILT_IN, SRC)))),
        KernelExterns.INSTANCE);
  }

  @Test
  void theNeedAddsUpAlongTheDeepestChain() {
    Program p = compile();
    Fn leaf = p.fn("leaf");
    Fn middle = p.fn("middle");
    Fn top = p.fn("top");
    assertEquals(1, leaf.depthNeed);
    assertEquals(leaf.slots + leaf.maxStack + 1, leaf.stackNeed);
    if (middle.inlined.length == 0) {
      assertEquals(2, middle.depthNeed);
      assertEquals(middle.slots + middle.maxStack + 1 + leaf.stackNeed, middle.stackNeed);
    }
    assertEquals(top.depthNeed, 1 + middle.depthNeed - (top.inlined.length > 0 ? 1 : 0));
    assertTrue(top.stackNeed >= middle.stackNeed, top.stackNeed + " < " + middle.stackNeed);
    // leaf(5, 2) = 10 + 7 + 3 + 7, leaf(5, 3) = 15 + 8 + 2 + 6
    assertEquals((10 + 7 + 3 + 7) + (15 + 8 + 2 + 6) + 1, new KernelBench(SRC).run("top", 5));
  }

  @Test
  void aRecursiveFunctionCountsOnceAndGrowsAtRunTime() {
    Program p = compile();
    assertEquals(1, p.fn("fact").depthNeed);
    assertEquals(3628800, new KernelBench(SRC).run("fact", 10));
  }
}
