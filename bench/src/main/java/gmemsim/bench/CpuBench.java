package gmemsim.bench;

import gmemsim.model.Ctx;
import gmemsim.model.Msg;
import gmemsim.model.Topology;
import gmemsim.model.cpu.Cpu;
import gmemsim.model.cpu.Tlb;
import gmemsim.model.dmap.Addr;
import gmemsim.model.dmap.DirectMap;
import gmemsim.model.exec.KernelEnv;
import gmemsim.model.exec.KernelExterns;
import gmemsim.model.exec.KernelSources;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.prim.Primitives;
import gmemsim.model.prim.Step;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one message to a {@link Cpu} costs, outside any runtime. A CPU handles two kinds: the
 * results of its own steps (which drive its TLB: a load retires and the next one looks its
 * address up) and flush IPIs from other CPUs. The loads come from the kernel source's
 * speculative_read() (kernel/model/direct_map_handoff.c, the CPU model's speculative load) called in a loop, with the benchmark answering in place of the direct map and the memory
 * component; {@code poolPages} against the 64-entry TLB (machine.tlb-entries) sets the hit rate.
 * The two kinds have states of their own, so only the loads are run for each pool size.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CpuBench {
  private static final int CPU = 0;
  private static final int MEM = 1;
  private static final int DMAP = 2;
  private static final int ZAPPER = 3;
  private static final int BASE_PFN = 0x100000;
  private static final int PAGES = 4096;
  private static final int TLB_ENTRIES = 64;

  /** A CPU running speculative loads, and the replies the direct map and the memory would send. */
  @State(Scope.Thread)
  public static class Loads {
    /** 32: every load hits the TLB; 1024: nearly every load misses, walks and fills. */
    @Param({"32", "1024"})
    public int poolPages;

    private Cpu cpu;
    private BenchCtx ctx;
    private Ret[] walkReplies;
    private Ret loadReply;

    @Setup(Level.Trial)
    public void setUp() {
      Topology topo = new Topology(BASE_PFN, PAGES, new int[] {MEM});
      walkReplies = new Ret[PAGES];
      for (int i = 0; i < PAGES; i++) walkReplies[i] = new Ret(BASE_PFN + i, DirectMap.LEVEL_4K);
      loadReply = Ret.of(0);
      Tlb tlb = new Tlb(TLB_ENTRIES);
      List<gmemsim.model.Component> comps = new java.util.ArrayList<>();
      KernelEnv env = new KernelEnv(BUILT_IN, topo, comps);
      env.singleton(DirectMap.class, DMAP);
      // The pool: pages [BASE_PFN, BASE_PFN + poolPages), no guest pages.
      cpu = new Cpu("cpu0", tlb, List.of(new SourcePath(env, "speculative_read_forever", 0, 0, BASE_PFN, poolPages)));
      comps.add(cpu);
      ctx = new BenchCtx(CPU, "cpu0", "mem0", "dmap", "zapper");
      cpu.boot(ctx);
      for (int i = 0; i < 10 * poolPages; i++) deliverNext();
      if (poolPages <= TLB_ENTRIES && (tlb.size() != poolPages || !ctx.lastSent.step().equals("__direct_map_load"))) {
        throw new IllegalStateException("the pool does not stay in the TLB");
      }
    }

    /** Answers the step the CPU sent last, as the direct map (a walk) or the memory (a load) would. */
    Object deliverNext() {
      Msg sent = ctx.lastSent;
      Ret reply;
      if (!(sent instanceof Step s)) throw new IllegalStateException("unexpected message " + sent.step());
      if (s.step().equals("__page_walk")) {
        reply = walkReplies[Addr.virtToPfn(s.args()[0]) - BASE_PFN];
      } else if (s.step().equals("__direct_map_load")) {
        reply = loadReply;
      } else {
        throw new IllegalStateException("unexpected step " + sent.step());
      }
      cpu.onMessage(reply, ctx);
      return ctx.lastSent;
    }
  }

  /** A CPU with a full TLB and nothing to run, receiving flush IPIs from a zapper. */
  @State(Scope.Thread)
  public static class Flushes {
    private Cpu cpu;
    private Tlb tlb;
    private BenchCtx ctx;
    private long cachedVa;
    private int cachedPfn;
    private Msg flushCached;
    private Msg flushUncached;

    @Setup(Level.Trial)
    public void setUp() {
      tlb = new Tlb(TLB_ENTRIES);
      cpu = new Cpu("cpu1", tlb, List.of());
      ctx = new BenchCtx(CPU, "cpu1", "mem0", "dmap", "zapper").from(ZAPPER);
      cpu.boot(ctx);
      // A full TLB: every flush scans 64 entries, as on a CPU that has been running for a while.
      for (int i = 0; i < TLB_ENTRIES - 1; i++) tlb.fill(Addr.pageAddress(BASE_PFN + i), BASE_PFN + i);
      cachedPfn = BASE_PFN + PAGES - 1;
      cachedVa = Addr.pageAddress(cachedPfn);
      flushCached = rangeFlush(cachedVa, cachedVa + 4096);
      long other = Addr.pageAddress(BASE_PFN + PAGES - 2);
      flushUncached = rangeFlush(other, other + 4096);
      tlb.fill(cachedVa, cachedPfn);
      cpu.onMessage(flushCached, ctx);
      if (tlb.size() != TLB_ENTRIES - 1 || ctx.lastValue() != 0) {
        throw new IllegalStateException("the flush IPI was not acked");
      }
    }
  }

  /** The built-in kernel source, compiled once. */
  /** The built-in functions, and a loop of speculative_read() so the CPU never runs out of loads. */
  private static final gmemsim.lang.Program BUILT_IN = gmemsim.lang.Compiler.compile(
      List.of(new gmemsim.lang.Compiler.Layer("built in", KernelSources.get().builtIn()),
          new gmemsim.lang.Compiler.Layer("bench", List.of(new gmemsim.lang.SourceFile("bench.c", gmemsim.lang.SourceFile.Origin.BUILT_IN,
              "void speculative_read_forever(unsigned long guest, unsigned long nr_guest, unsigned long base, unsigned long nr)\n"
                  + "{\n\tfor (;;)\n\t\tspeculative_read(guest, nr_guest, base, nr);\n}\n")))),
      KernelExterns.INSTANCE);

  /** flush_tlb_kernel_range()'s IPI to this CPU: the step of do_kernel_range_flush. */
  private static Msg rangeFlush(long start, long end) {
    return new Step(Primitives.byName("do_kernel_range_flush").id(), new long[] {start, end}, null, -1, false, -1);
  }

  /**
   * One result delivered to a CPU running speculative loads (the speculative gadget of the
   * direct-map scenarios): a load retires and the next one looks its address up in the TLB, or a
   * walk returns and fills the TLB. Includes the benchmark's choice of the reply (two type tests).
   */
  @Benchmark
  public Object speculativeLoad(Loads s) {
    return s.deliverNext();
  }

  /**
   * The flush_tlb_kernel_range() IPI for one page this CPU does not cache (the common case: it
   * goes to every CPU); the INVLPG scan over the full TLB finds nothing. State unchanged.
   */
  @Benchmark
  public Object flushIpiUncached(Flushes s) {
    s.cpu.onMessage(s.flushUncached, s.ctx);
    return s.ctx.lastSent;
  }

  /**
   * The same IPI for a page the CPU does cache. The entry is put back first (Tlb.fill, what a
   * walk does; not a message), so this is the IPI plus one TLB fill.
   */
  @Benchmark
  public Object flushIpiCachedAfterFill(Flushes s) {
    s.tlb.fill(s.cachedVa, s.cachedPfn);
    s.cpu.onMessage(s.flushCached, s.ctx);
    return s.ctx.lastSent;
  }
}
