package gmemsim.bench;

import static gmemsim.bench.BenchCtx.step;

import gmemsim.model.Msg;
import gmemsim.model.dmap.Addr;
import gmemsim.model.dmap.DirectMap;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one message to the {@link DirectMap} (the kernel page tables of the direct map) costs,
 * outside any runtime: the page walk every TLB miss of a CPU makes, and the attribute change of
 * the zap/restore designs (the primitives __page_walk and __change_page_attr_leaf). {@code leaf} is the size the direct map was booted with
 * (machine.direct-map-page-size): with 4k the change is one PTE, with 2m it is a whole 2M leaf
 * changed in place (a 2M folio zapped whole, race 17), so neither needs a split.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DirectMapBench {
  private static final int DMAP = 0;
  private static final int CPU = 1;
  private static final int BASE_PFN = 0x100000;
  private static final int PAGES = 4096;

  @Param({"4k", "2m"})
  public String leaf;

  private DirectMap dmap;
  private BenchCtx ctx;
  private Msg walk;
  private Msg setInvalid;
  private Msg setValid;

  @Setup(Level.Trial)
  public void setUp() {
    boolean huge = leaf.equals("2m");
    dmap = new DirectMap("dmap", BASE_PFN, PAGES, huge ? 1L << 21 : 4096);
    ctx = new BenchCtx(DMAP, "dmap", "cpu0").from(CPU);
    // The second 2M region, so the walk and the change are not at the base.
    int pfn = BASE_PFN + 512;
    int nr = huge ? 512 : 1;
    walk = step("__page_walk", Addr.pageAddress(pfn + 3));
    setInvalid = step("__change_page_attr_leaf", Addr.pageAddress(pfn), nr, 0, 0);
    setValid = step("__change_page_attr_leaf", Addr.pageAddress(pfn), nr, 1, 0);
    dmap.onMessage(setInvalid, ctx);
    if (ctx.lastValue() != nr || dmap.present(pfn)) throw new IllegalStateException("not changed in place");
    dmap.onMessage(setValid, ctx);
    if (ctx.lastValue() != nr || !dmap.present(pfn)) {
      throw new IllegalStateException("not restored");
    }
    dmap.onMessage(walk, ctx);
    if (ctx.lastValue() != pfn + 3) throw new IllegalStateException("walk: " + ctx.lastValue());
  }

  /** The MMU's page walk of a present direct-map address (lookup_address()): state unchanged. */
  @Benchmark
  public Object pageWalk() {
    return ctx.handle(dmap, walk);
  }

  /**
   * set_direct_map_invalid_noflush() then set_direct_map_default_noflush() of the same leaf: the
   * step of one iteration of __change_page_attr_set_clr() each. Mean per message.
   */
  @Benchmark
  @OperationsPerInvocation(2)
  public Object setInvalidThenDefault() {
    return ctx.handle(dmap, setInvalid, setValid);
  }
}
