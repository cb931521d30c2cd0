package gmemsim.bench;

import static gmemsim.bench.BenchCtx.step;

import gmemsim.model.Msg;
import gmemsim.model.mm.Memory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one message to a {@link Memory} component (struct pages + page allocator) costs, outside
 * any runtime. These are the steps of the split-vs-tryget race and of every folio reference a
 * guest_memfd or KVM path takes. Each benchmark leaves the state as it found it (a get is paired
 * with its put, an allocation with its free), so every invocation measures the same step; pairs
 * report the mean per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MemoryBench {
  private static final int MEM = 0;
  private static final int OWNER = 1;
  private static final int TAKER = 2;
  private static final int BASE_PFN = 0x100000;
  /** alloc_pages()' gfp argument: the model reads only the order. */
  private static final long GFP_KERNEL = 0xcc0;

  private Memory mem;
  private BenchCtx ctx;
  private int head;
  private Msg pageFolioOfTail;
  private Msg tryGet;
  private Msg put;
  private Msg lock;
  private Msg unlock;
  private Msg alloc0;
  private Msg free0;
  private int page0;

  @Setup(Level.Trial)
  public void setUp() {
    // The defaults of machine.memory (16M) and machine.pcp-high, one range.
    mem = new Memory("mem0", BASE_PFN, 4096, 32);
    ctx = new BenchCtx(MEM, "mem0", "owner0", "taker0");
    // Boot as MachineBuilder does: the owner holds an order-9 folio (one reference).
    mem.onMessage(step("alloc_pages", GFP_KERNEL, 9), ctx.from(OWNER));
    head = (int) ctx.lastValue();
    if (head == 0) throw new IllegalStateException("alloc_pages(order 9) failed");
    pageFolioOfTail = step("page_folio", head + 17);
    tryGet = step("folio_try_get", head);
    put = step("folio_put", head);
    lock = step("folio_lock", head);
    unlock = step("folio_unlock", head);
    alloc0 = step("alloc_pages", GFP_KERNEL, 0);
    ctx.from(TAKER);
    mem.onMessage(tryGet, ctx);
    if (ctx.lastValue() != 1) throw new IllegalStateException("folio_try_get failed in set-up");
    mem.onMessage(put, ctx);
    if (ctx.lastValue() != 1) throw new IllegalStateException("folio_put left refcount " + ctx.lastValue());
    mem.onMessage(alloc0, ctx);
    page0 = (int) ctx.lastValue();
    free0 = step("folio_put", page0);
    mem.onMessage(free0, ctx);
    if (ctx.lastValue() != 0) throw new IllegalStateException("the order-0 page was not freed");
  }

  /** page_folio() of a tail page: one read of its compound_head word, and the reply. */
  @Benchmark
  public Object pageFolio() {
    return ctx.handle(mem, pageFolioOfTail);
  }

  /**
   * folio_try_get() then folio_put() on a folio someone else keeps alive: the pin and release a
   * KVM fault does (kvm_try_get_pfn / kvm_release_pfn_clean), with the ghost ledger's bookkeeping
   * of who holds each reference. Mean per message.
   */
  @Benchmark
  @OperationsPerInvocation(2)
  public Object folioTryGetPut() {
    return ctx.handle(mem, tryGet, put);
  }

  /** folio_lock() then folio_unlock(), uncontended (no waiter to hand PG_locked to). */
  @Benchmark
  @OperationsPerInvocation(2)
  public Object folioLockUnlock() {
    return ctx.handle(mem, lock, unlock);
  }

  /**
   * alloc_pages(order 0) then the folio_put() that frees it: the per-CPU list is LIFO, so the same
   * page comes back each time (a __GFP_ZERO kernel user, or the reuser of split-vs-tryget).
   */
  @Benchmark
  @OperationsPerInvocation(2)
  public Object allocFreeOrder0() {
    mem.onMessage(alloc0, ctx);
    if (ctx.lastValue() != page0) throw new IllegalStateException("the per-CPU list is not LIFO");
    return ctx.handle(mem, free0);
  }
}
