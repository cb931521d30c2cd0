package gmemsim.bench;

import static gmemsim.bench.BenchCtx.step;

import gmemsim.model.Msg;
import gmemsim.model.kvm.Kvm;
import gmemsim.model.prim.Handles;
import gmemsim.model.prim.Structs;
import gmemsim.model.kvm.VmType;
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
 * What one message to a VM's {@link Kvm} (struct kvm: mmu_lock, invalidation sequence, memory
 * attributes, EPT) costs, outside any runtime: the steps of kvm_tdp_page_fault() that leave the
 * VM as they found it, and the EPT walk every guest TLB miss makes. The VM is a TD, as in the
 * KVM scenarios that exercise the S-EPT; one 4K private gfn is mapped (and accepted) in set-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KvmBench {
  private static final int KVM = 0;
  private static final int VCPU = 1;
  /** KvmWorkload's memslot base. */
  private static final long BASE_GFN = 0x80000;
  private static final int PFN = 0x100000 + 5;

  private Kvm kvm;
  private BenchCtx ctx;
  private long gfn;
  private Msg readSeq;
  private Msg memIsPrivate;
  private Msg eptWalk;
  private Msg mmuReadLock;
  private Msg retryGfn;
  private Msg mmuReadUnlock;

  @Setup(Level.Trial)
  public void setUp() {
    kvm = new Kvm("kvm0", 1, VmType.TDX, BASE_GFN, 1024, 0);
    ctx = new BenchCtx(KVM, "kvm0", "vcpu0").from(VCPU);
    gfn = BASE_GFN + 5;
    long k = Handles.of(KVM);
    long mmuLock = Handles.fieldAddress(k, Structs.id("kvm", "mmu_lock"));
    mmuReadLock = step("read_lock", mmuLock);
    mmuReadUnlock = step("read_unlock", mmuLock);
    // A fault installed the 4K leaf (TDH.MEM.PAGE.AUG) and the guest accepted it.
    kvm.onMessage(mmuReadLock, ctx);
    kvm.onMessage(step("kvm_tdp_mmu_map", k, gfn, PFN, 0, 1, 0), ctx);
    kvm.onMessage(mmuReadUnlock, ctx);
    kvm.onMessage(step("tdg_mem_page_accept", k, gfn), ctx);
    if (kvm.spte(gfn) != PFN || ctx.lastValue() != 0) throw new IllegalStateException("gfn not mapped");
    readSeq = step("mmu_invalidate_seq", k);
    memIsPrivate = step("kvm_mem_is_private", k, gfn);
    eptWalk = step("__ept_walk", k, gfn, 1);
    retryGfn = step("mmu_invalidate_retry_gfn", k, kvm.mmuInvalidateSeq(), gfn);
    kvm.onMessage(eptWalk, ctx);
    if (ctx.lastValue() != PFN) throw new IllegalStateException("EPT walk: " + ctx.lastValue());
    kvm.onMessage(mmuReadLock, ctx);
    kvm.onMessage(retryGfn, ctx);
    if (ctx.lastValue() != 0) throw new IllegalStateException("mmu_invalidate_retry_gfn says retry");
    kvm.onMessage(mmuReadUnlock, ctx);
  }

  /** fault->mmu_seq = kvm->mmu_invalidate_seq, the first step of kvm_tdp_page_fault(). */
  @Benchmark
  public Object readMmuInvalidateSeq() {
    return ctx.handle(kvm, readSeq);
  }

  /** kvm_mem_is_private(): the gfn's memory attributes. */
  @Benchmark
  public Object kvmMemIsPrivate() {
    return ctx.handle(kvm, memIsPrivate);
  }

  /** The hardware EPT walk of a mapped, accepted private gfn (a guest TLB miss). */
  @Benchmark
  public Object eptWalk() {
    return ctx.handle(kvm, eptWalk);
  }

  /**
   * The fault's locked check: read_lock(mmu_lock), mmu_invalidate_retry_gfn() (no invalidation,
   * seq unchanged: go ahead), read_unlock(mmu_lock); kvm_tdp_mmu_map() is left out because it
   * changes the EPT. Mean per message.
   */
  @Benchmark
  @OperationsPerInvocation(3)
  public Object mmuLockedRetryCheck() {
    return ctx.handle(kvm, mmuReadLock, retryGfn, mmuReadUnlock);
  }
}
