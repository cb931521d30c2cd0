package gmemsim.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.exec.KernelExterns;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernel C subset: what it computes, what a step is, and how a mistake is reported. */
class KernelLanguageTest {
  private static long eval(String src, String fn, long... args) {
    return new KernelBench(src).run(fn, args);
  }

  private static KcException error(String src) {
    return assertThrows(KcException.class, () -> Compiler.compile(List.of(new Compiler.Layer("test",
        List.of(new SourceFile("bad.c", SourceFile.Origin.BUILT_IN, src)))), KernelExterns.INSTANCE));
  }

  @Test
  void localComputationFollowsC() {
    String src = """
        #define NR 4
        enum { A = 3, B, C };
        static int sum(int n)
        {
                int i, s = 0;

                for (i = 0; i < n; i++) {
                        if (i == 2)
                                continue;
                        s += i;
                }
                return s;
        }
        int fact(int n)
        {
                return n <= 1 ? 1 : n * fact(n - 1);
        }
        static void set(long *out, long v)
        {
                *out = v;
        }
        long f(long x)
        {
                long r = 0;
                int k = 0;

                set(&r, x << 1);
                do {
                        k++;
                } while (k < NR);
                switch (x) {
                case 1:
                        r += 100;
                        break;
                case 2:
                        r += 200;
                default:
                        r += 1000;
                }
                if (r > 5000 || !x)
                        goto out;
                r += sum(5) + fact(5) + C + k;
        out:
                return r;
        }
        """;
    assertEquals(2 + 100 + (0 + 1 + 3 + 4) + 120 + 5 + 4, eval(src, "f", 1));
    assertEquals(4 + 200 + 1000 + 8 + 120 + 5 + 4, eval(src, "f", 2));
    assertEquals(0 + 1000, eval(src, "f", 0));
    assertEquals(-4096 & 0xfff0, eval("long g(long x) { return ALIGN_DOWN(x, 16) & 0xfff0; }", "g", -4090));
  }

  @Test
  void aPrimitiveIsOneStepAndItsReplyIsTheCallsValue() {
    String src = """
        /* models try_get_folio(), mm/gup.c (gregkh/linux) */
        struct folio *try_get_folio(struct page *page, int refs)
        {
                struct folio *folio;

        retry:
                folio = page_folio(page);
                if (!folio_ref_try_add(folio, refs))
                        return NULL;
                if (unlikely(page_folio(page) != folio)) {
                        folio_put_refs(folio, refs);
                        goto retry;
                }
                return folio;
        }
        long get_and_drop(struct page *page)
        {
                struct folio *folio = try_get_folio(page, 1);

                if (!folio)
                        return -EAGAIN;
                folio_put(folio);
                return folio;
        }
        """;
    KernelBench b = new KernelBench(src);
    int head = b.mem.allocator().allocPages(4, "owner");
    assertEquals(head, b.run("get_and_drop", head + 3));
    assertEquals(List.of("page_folio(page=" + hex(head + 3) + ")", "folio_ref_try_add(folio=" + hex(head) + ", count=1)",
        "page_folio(page=" + hex(head + 3) + ")", "folio_put(folio=" + hex(head) + ")"), b.steps);
    assertEquals(1, b.mem.pages().refcount(head), "the owner's reference is left");
  }

  @Test
  void aPageUsedUnderAReferenceCarriesTheBeliefTheGetLeft() {
    String src = """
        void write_under_ref(struct page *page)
        {
                struct folio *folio = page_folio(page);

                if (!folio_try_get(folio))
                        return;
                __kmap_write(page, 0);
                folio_put(folio);
        }
        """;
    KernelBench b = new KernelBench(src);
    int head = b.mem.allocator().allocPages(2, "owner");
    b.run("write_under_ref", head + 1);
    var access = b.events.stream().filter(e -> e instanceof gmemsim.model.mm.MmEvents.PageAccess).findFirst().orElseThrow();
    var a = (gmemsim.model.mm.MmEvents.PageAccess) access;
    assertEquals(b.mem.pages().gen(head), a.claimedGen(), "the write carries the generation the get returned");
    assertEquals(head, a.claimedFolio(), "and the folio it took the reference on");
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }

  @Test
  void mistakesNameTheirFileLineAndColumn() {
    assertEquals("bad.c:2:10: unknown function or primitive 'folio_try_gte' (did you mean 'folio_try_get'?); `gmemsim list`"
        + " prints what the model knows", error("int f(int x)\n{\treturn folio_try_gte(x);\n}\n").getMessage().replace("\t", ""));
    assertTrue(error("int f(int x)\n{\n\tif (x)\n\t\treturn 1;\n}\n").getMessage()
        .startsWith("bad.c:5:1: f() can reach its end without returning a value"));
    assertTrue(error("int f(int x)\n{\n\tgoto out;\n\treturn 0;\n}\n").getMessage().startsWith("bad.c:3:2: goto out: the label is never defined"));
    assertTrue(error("int f(int x)\n{\n\treturn folio_try_get(x, 1);\n}\n").getMessage()
        .startsWith("bad.c:3:9: folio_try_get() takes 1 argument (folio), given 2"));
    assertTrue(error("void g(void) { }\nint f(int x)\n{\n\treturn g();\n}\n").getMessage()
        .startsWith("bad.c:4:9: the value returned is a call of a function that returns void"));
    assertTrue(error("int f(int x)\n{\n\treturn x +;\n}\n").getMessage().startsWith("bad.c:3:12: expected an expression, found ';'"));
    assertTrue(error("#if 0\n#endif\n").getMessage().startsWith("bad.c:1:2: #if: only #include and #define"));
    assertTrue(error("int f(int x)\n{\n\treturn y;\n}\n").getMessage().startsWith("bad.c:3:9: unknown name 'y'"));
    assertTrue(error("int f(int x)\n{\n\twhile (1) { }\n}\nint f(int y) { return y; }\n").getMessage()
        .startsWith("bad.c:5:5: f() is defined twice"));
    assertTrue(error("int folio_put(int x) { return x; }\n").getMessage().contains("is a primitive"));
  }

  @Test
  void aLoopThatNeverStepsIsReportedNotHung() {
    var e = assertThrows(IllegalStateException.class, () -> eval("int f(int x)\n{\n\twhile (x) { }\n\treturn 0;\n}\n", "f", 1));
    assertTrue(e.getMessage().contains("an endless loop"), e.getMessage());
  }

  @Test
  void aLaterLayerReplacesAFunctionOfTheSameName() {
    SourceFile base = new SourceFile("base.c", SourceFile.Origin.BUILT_IN, "int v(void) { return 1; }\nint w(void) { return v() + 10; }\n");
    SourceFile patch = new SourceFile("patch.c", SourceFile.Origin.patch("x.conf"), "int v(void) { return 2; }\n");
    Program p = Compiler.compile(List.of(new Compiler.Layer("built in", List.of(base)), new Compiler.Layer("patch", List.of(patch))),
        KernelExterns.INSTANCE);
    assertEquals("patch.c", p.fn("v").pos.file().name());
    assertEquals("base.c:1", p.replaced().get("v"));
  }
}
