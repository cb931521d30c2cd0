package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.kvm.KvmBinding;
import gmemsim.model.kvm.KvmFlushRemoteTlbsPath;
import gmemsim.model.kvm.KvmProtocol;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * kvm_gmem_invalidate_begin() with the huge-page series' split (seed 003) for file indexes
 * [start, end) of the bound VM: in one write_lock(mmu_lock) section kvm_mmu_invalidate_begin(),
 * kvm_mmu_invalidate_range_add(), then, when asked, kvm_split_cross_boundary_leafs() (on error
 * the caller bails out: nothing was zapped, and the range is added, so the end is balanced), then
 * kvm_mmu_unmap_gfn_range() with the PRIVATE filter (the file is not INIT_SHARED), and
 * kvm_flush_remote_tlbs() if anything was zapped, before the unlock. Since commit 9129633d568e the
 * attribute pre-set pass also adds the partly covered 2M blocks at both ends. userStart/userEnd (indexes) are what
 * userspace asked for, ghost for the over-zap oracle. KVM_SET_MEMORY_ATTRIBUTES' pre-set pass
 * (kvm_handle_gfn_range() with kvm_mmu_invalidate_begin as on_lock and
 * kvm_pre_set_memory_attributes() as handler) is the same sequence with its own filter.
 */
public final class KvmGmemInvalidateBeginPath extends PcPath<KvmGmemInvalidateBeginPath.Pc> {
  enum Pc {
    LOCK,
    BEGIN,
    RANGE_ADD,
    RANGE_ADD_HUGEPAGES,
    SPLIT,
    UNMAP,
    FLUSH,
    UNLOCK,
    DONE
  }

  private final KvmBinding b;
  private final int start;
  private final int end;
  private final int userStart;
  private final int userEnd;
  private final boolean split;
  private final boolean zapPrivate;
  private final boolean zapShared;
  private final boolean widenToHugepages;
  private final String name;
  /** 0, or the error of the split (-ENOMEM): nothing was zapped. */
  int err;

  KvmGmemInvalidateBeginPath(KvmBinding b, int start, int end, int userStart, int userEnd, boolean split) {
    this("kvm_gmem_invalidate_begin", b, start, end, userStart, userEnd, split, true, false, false);
  }

  private KvmGmemInvalidateBeginPath(String name, KvmBinding b, int start, int end, int userStart, int userEnd,
      boolean split, boolean zapPrivate, boolean zapShared, boolean widenToHugepages) {
    this.name = name;
    this.widenToHugepages = widenToHugepages;
    this.zapPrivate = zapPrivate;
    this.zapShared = zapShared;
    this.b = b;
    this.start = start;
    this.end = end;
    this.userStart = userStart;
    this.userEnd = userEnd;
    this.split = split;
  }

  @Override
  public String name() {
    return name;
  }

  /** 0, or the split's error. */
  public int result() {
    return err;
  }

  private boolean kvm(Ctx ctx, Pc next, KvmProtocol.Request r) {
    return request(ctx, next, b.kvm(), r);
  }

  @Override
  protected boolean begin(Ctx ctx) {
    err = 0;
    return kvm(ctx, Pc.LOCK, new KvmProtocol.MmuLock(true));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case LOCK -> {
        return kvm(ctx, Pc.BEGIN, new KvmProtocol.MmuInvalidateBegin());
      }
      case BEGIN -> {
        return kvm(ctx, Pc.RANGE_ADD, new KvmProtocol.MmuInvalidateRangeAdd(b.gfn(start), b.gfn(end)));
      }
      case RANGE_ADD -> {
        if (widenToHugepages) {
          return kvm(ctx, Pc.RANGE_ADD_HUGEPAGES, new KvmProtocol.MmuInvalidateRangeAddHugepages(b.gfn(start), b.gfn(end)));
        }
        return splitOrUnmap(ctx);
      }
      case RANGE_ADD_HUGEPAGES -> {
        return splitOrUnmap(ctx);
      }
      case SPLIT -> {
        if (r.value() != 0) {
          err = (int) r.value();
          return kvm(ctx, Pc.UNLOCK, new KvmProtocol.MmuUnlock(true));
        }
        return unmap(ctx);
      }
      case UNMAP -> {
        // __kvm_gmem_invalidate_begin() and kvm_handle_gfn_range() flush before KVM_MMU_UNLOCK:
        // no vCPU may keep a translation of a zapped page once the lock is free.
        if (r.value() == 0) return kvm(ctx, Pc.UNLOCK, new KvmProtocol.MmuUnlock(true));
        return callAt(ctx, Pc.FLUSH, new KvmFlushRemoteTlbsPath(b));
      }
      case FLUSH -> {
        return kvm(ctx, Pc.UNLOCK, new KvmProtocol.MmuUnlock(true));
      }
      case UNLOCK -> {
        return done();
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean splitOrUnmap(Ctx ctx) {
    if (split) return kvm(ctx, Pc.SPLIT, new KvmProtocol.SplitCrossBoundaryLeafs(b.gfn(start), b.gfn(end)));
    return unmap(ctx);
  }

  private boolean unmap(Ctx ctx) {
    return kvm(ctx, Pc.UNMAP, new KvmProtocol.MmuUnmapGfnRange(b.gfn(start), b.gfn(end), zapPrivate, zapShared, b.gfn(userStart), b.gfn(userEnd)));
  }

  private boolean done() {
    return finishAt(Pc.DONE);
  }

  @Override
  protected String here() {
    return pc + " gfns [" + hex(b.gfn(start)) + ", " + hex(b.gfn(end)) + ")";
  }
}
