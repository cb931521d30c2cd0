package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.kvm.KvmBinding;
import gmemsim.model.kvm.KvmFlushRemoteTlbsPath;
import gmemsim.model.kvm.KvmProtocol;
import gmemsim.model.kvm.PunchHoleSplit;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * kvm_gmem_invalidate_begin() of PUNCH_HOLE on a TD as the TDX huge-page series posts it (seed 003;
 * RFC v2 and v3), with its three mmu_lock sections: kvm_mmu_invalidate_begin() (v3 also adds the
 * range here); kvm_split_cross_boundary_leafs() (RFC v2 flushes before unlocking; v3, on failure,
 * ends the invalidation in this section); the zap of the private leaves with its flush. Between
 * the sections faults run their retry check against whatever range is (or is not) recorded.
 */
public final class TdxPunchHoleInvalidateBeginPath extends PcPath<TdxPunchHoleInvalidateBeginPath.Pc> {
  enum Pc {
    LOCK_BEGIN,
    BEGIN,
    RANGE_ADD,
    UNLOCK_BEGIN,
    LOCK_SPLIT,
    SPLIT,
    SPLIT_FLUSH,
    END_IN_SECTION,
    UNLOCK_SPLIT,
    LOCK_ZAP,
    UNMAP,
    FLUSH,
    UNLOCK_ZAP,
    DONE
  }

  private final KvmBinding b;
  private final PunchHoleSplit posted;
  private final int start;
  private final int end;
  private final int userStart;
  private final int userEnd;
  /** 0, or the split's error: nothing was zapped. */
  int err;
  /** Whether this path already ended the invalidation (v3's failure path). */
  boolean ended;

  TdxPunchHoleInvalidateBeginPath(KvmBinding b, PunchHoleSplit posted, int start, int end, int userStart, int userEnd) {
    this.b = b;
    this.posted = posted;
    this.start = start;
    this.end = end;
    this.userStart = userStart;
    this.userEnd = userEnd;
  }

  @Override
  public String name() {
    return "kvm_gmem_invalidate_begin (" + posted.knob() + ")";
  }

  private boolean kvm(Ctx ctx, Pc next, KvmProtocol.Request r) {
    return request(ctx, next, b.kvm(), r);
  }

  @Override
  protected boolean begin(Ctx ctx) {
    err = 0;
    ended = false;
    return kvm(ctx, Pc.LOCK_BEGIN, new KvmProtocol.MmuLock(true));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case LOCK_BEGIN -> {
        return kvm(ctx, Pc.BEGIN, new KvmProtocol.MmuInvalidateBegin());
      }
      case BEGIN -> {
        if (posted == PunchHoleSplit.V3) {
          return kvm(ctx, Pc.RANGE_ADD, new KvmProtocol.MmuInvalidateRangeAdd(b.gfn(start), b.gfn(end)));
        }
        return kvm(ctx, Pc.UNLOCK_BEGIN, new KvmProtocol.MmuUnlock(true));
      }
      case RANGE_ADD -> {
        return kvm(ctx, Pc.UNLOCK_BEGIN, new KvmProtocol.MmuUnlock(true));
      }
      case UNLOCK_BEGIN -> {
        return kvm(ctx, Pc.LOCK_SPLIT, new KvmProtocol.MmuLock(true));
      }
      case LOCK_SPLIT -> {
        return kvm(ctx, Pc.SPLIT, new KvmProtocol.SplitCrossBoundaryLeafs(b.gfn(start), b.gfn(end)));
      }
      case SPLIT -> {
        if (r.value() != 0) {
          err = (int) r.value();
          if (posted == PunchHoleSplit.V3) {
            ended = true;
            return kvm(ctx, Pc.END_IN_SECTION, new KvmProtocol.MmuInvalidateEnd());
          }
          return kvm(ctx, Pc.UNLOCK_SPLIT, new KvmProtocol.MmuUnlock(true));
        }
        if (posted == PunchHoleSplit.RFC_V2) return callAt(ctx, Pc.SPLIT_FLUSH, new KvmFlushRemoteTlbsPath(b));
        return kvm(ctx, Pc.UNLOCK_SPLIT, new KvmProtocol.MmuUnlock(true));
      }
      case SPLIT_FLUSH, END_IN_SECTION -> {
        return kvm(ctx, Pc.UNLOCK_SPLIT, new KvmProtocol.MmuUnlock(true));
      }
      case UNLOCK_SPLIT -> {
        if (err != 0) return finishAt(Pc.DONE);
        return kvm(ctx, Pc.LOCK_ZAP, new KvmProtocol.MmuLock(true));
      }
      case LOCK_ZAP -> {
        return kvm(ctx, Pc.UNMAP, new KvmProtocol.MmuUnmapGfnRange(b.gfn(start), b.gfn(end), true, false, b.gfn(userStart), b.gfn(userEnd)));
      }
      case UNMAP -> {
        if (r.value() == 0) return kvm(ctx, Pc.UNLOCK_ZAP, new KvmProtocol.MmuUnlock(true));
        return callAt(ctx, Pc.FLUSH, new KvmFlushRemoteTlbsPath(b));
      }
      case FLUSH -> {
        return kvm(ctx, Pc.UNLOCK_ZAP, new KvmProtocol.MmuUnlock(true));
      }
      case UNLOCK_ZAP -> {
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  @Override
  protected String here() {
    return pc + " gfns [" + hex(b.gfn(start)) + ", " + hex(b.gfn(end)) + ")";
  }
}
