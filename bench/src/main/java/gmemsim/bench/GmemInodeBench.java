package gmemsim.bench;

import static gmemsim.bench.BenchCtx.step;

import gmemsim.model.Msg;
import gmemsim.model.gmem.GmemInode;
import gmemsim.model.prim.Handles;
import gmemsim.model.prim.Structs;
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
 * What one message to a guest_memfd {@link GmemInode} (page cache, invalidate_lock, f_count)
 * costs, outside any runtime: the lookup every kvm_gmem_get_pfn() starts with, the add/delete
 * pair of the page cache, and the shared invalidate_lock the fault path takes. Each benchmark
 * leaves the inode as it found it; pairs report the mean per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GmemInodeBench {
  private static final int GMEM = 0;
  private static final int VCPU = 1;
  private static final int HUGE_FOLIO = 0x100000;
  private static final int SMALL_FOLIO = 0x100400;

  private GmemInode inode;
  private BenchCtx ctx;
  private Msg lookup;
  private Msg add;
  private Msg delete;
  private Msg lockShared;
  private Msg unlockShared;
  private Msg getFile;
  private Msg fput;

  @Setup(Level.Trial)
  public void setUp() {
    inode = new GmemInode("gmem0", 1, 1024, 0);
    ctx = new BenchCtx(GMEM, "gmem0", "vcpu0").from(VCPU);
    long mapping = Handles.of(GMEM);
    long invalidateLock = Handles.fieldAddress(mapping, Structs.id("address_space", "invalidate_lock"));
    // A 2M folio at indexes 0..511 (a multi-index entry); 512..1023 stay empty.
    inode.onMessage(step("__filemap_add_folio_xa", mapping, HUGE_FOLIO, 0, 512), ctx);
    if (ctx.lastValue() != 0) throw new IllegalStateException("__filemap_add_folio failed");
    lookup = step("xas_load", mapping, 37);
    add = step("__filemap_add_folio_xa", mapping, SMALL_FOLIO, 600, 1);
    delete = step("__page_cache_delete_xa", mapping, SMALL_FOLIO, 600, 1);
    lockShared = step("down_read", invalidateLock);
    unlockShared = step("up_read", invalidateLock);
    getFile = step("get_file_active", mapping);
    fput = step("fput_count", mapping);
    inode.onMessage(lookup, ctx);
    if (ctx.lastValue() != HUGE_FOLIO) throw new IllegalStateException("lookup: " + ctx.lastValue());
    inode.onMessage(add, ctx);
    if (ctx.lastValue() != 0) throw new IllegalStateException("add: " + ctx.lastValue());
    inode.onMessage(delete, ctx);
    long sent = ctx.sends;
    inode.onMessage(lockShared, ctx);
    if (ctx.sends != sent + 1) throw new IllegalStateException("filemap_invalidate_lock_shared did not reply");
    inode.onMessage(unlockShared, ctx);
  }

  /** xas_load() of an index inside a 2M folio (filemap_get_entry()'s walk): the folio. */
  @Benchmark
  public Object filemapGetEntry() {
    return ctx.handle(inode, lookup);
  }

  /**
   * The xa_lock part of __filemap_add_folio() for a 4K folio, then page_cache_delete() of it (what
   * filemap_remove_folio() does on truncation). Mean per message.
   */
  @Benchmark
  @OperationsPerInvocation(2)
  public Object filemapAddDelete() {
    return ctx.handle(inode, add, delete);
  }

  /**
   * filemap_invalidate_lock_shared() then filemap_invalidate_unlock_shared(), uncontended, with
   * the lock events the deadlock oracle reads. Mean per message.
   */
  @Benchmark
  @OperationsPerInvocation(2)
  public Object invalidateLockShared() {
    inode.onMessage(lockShared, ctx);
    inode.onMessage(unlockShared, ctx);
    return ctx.lastEvent;
  }

  /** get_file_active() then fput(), as the KVM fault does around kvm_gmem_get_pfn(). */
  @Benchmark
  @OperationsPerInvocation(2)
  public Object getFileActiveFput() {
    return ctx.handle(inode, getFile, fput);
  }
}
