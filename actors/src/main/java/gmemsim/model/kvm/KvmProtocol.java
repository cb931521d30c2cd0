package gmemsim.model.kvm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Msg;

/**
 * Requests to the KVM component of a VM (struct kvm and its TDP MMU): its locks, the
 * invalidation sequence, memory attributes, the EPT / S-EPT, and the memslot's guest_memfd
 * binding. Each request is one atomic step; replies are {@code Ret}.
 */
public final class KvmProtocol {
  private KvmProtocol() {}

  public sealed interface Request extends Msg {
    void applyTo(Kvm k, Ctx ctx);
  }

  /** write_lock()/read_lock() of kvm->mmu_lock: returns once held. */
  public record MmuLock(boolean write) implements Request {
    public String step() {
      return write ? "write_lock(mmu_lock)" : "read_lock(mmu_lock)";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.mmuLock(this, ctx);
    }
  }

  public record MmuUnlock(boolean write) implements Request {
    public String step() {
      return write ? "write_unlock(mmu_lock)" : "read_unlock(mmu_lock)";
    }

    @Override
    public boolean releasesLock() {
      return true;
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.mmuUnlock(this, ctx);
    }
  }

  /** mutex_lock(&kvm->slots_lock) (lock true) or mutex_unlock. */
  public record SlotsLock(boolean lock) implements Request {
    public String step() {
      return lock ? "mutex_lock(slots_lock)" : "mutex_unlock(slots_lock)";
    }

    @Override
    public boolean releasesLock() {
      return !lock;
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.slotsLock(this, ctx);
    }
  }

  /**
   * fault->mmu_seq = kvm->mmu_invalidate_seq; smp_rmb(). {@code retry}: the fault goes round
   * again after RET_PF_RETRY (a spin: it yields to the scheduler).
   */
  public record ReadMmuInvalidateSeq(boolean retry) implements Request {
    public String step() {
      return "mmu_invalidate_seq";
    }

    @Override
    public boolean yields() {
      return retry;
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.readMmuInvalidateSeq(ctx);
    }
  }

  /** kvm_mem_is_private(): the gfn's memory attributes (1 private). */
  public record KvmMemIsPrivate(long gfn) implements Request, gmemsim.model.StepObjects.OnGfn {
    public String step() {
      return "kvm_mem_is_private";
    }

    @Override
    public String describe() {
      return step() + "(gfn " + hex(gfn) + ")";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.kvmMemIsPrivate(this, ctx);
    }
  }

  /**
   * mmu_invalidate_retry_gfn() under mmu_lock, or its lockless _unsafe() pre-check: 1 when an
   * invalidation of gfn is in progress or the sequence moved since mmuSeq.
   */
  public record MmuInvalidateRetryGfn(long gfn, long mmuSeq, boolean unsafe) implements Request, gmemsim.model.StepObjects.OnGfn, gmemsim.model.StepObjects.Decision {
    public String step() {
      return unsafe ? "mmu_invalidate_retry_gfn_unsafe" : "mmu_invalidate_retry_gfn";
    }

    @Override
    public String yes() {
      return "retry";
    }

    @Override
    public String no() {
      return "no retry";
    }

    @Override
    public String describe() {
      return step() + "(gfn " + hex(gfn) + ", seq " + mmuSeq + ")";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.mmuInvalidateRetryGfn(this, ctx);
    }
  }

  /**
   * kvm_tdp_mmu_map(): install the leaf for gfn (caller holds mmu_lock for read), at 2M when
   * maxOrder, the memslot and the memory attributes allow, else 4K. For a TD's private gfn this is
   * TDH.MEM.PAGE.AUG (the page is PENDING until the guest accepts it), or TDH.MEM.PAGE.ADD when
   * {@code added} (populate: the page is part of the measured image). gen is ghost.
   */
  public record TdpMmuMap(long gfn, int pfn, long gen, int maxOrder, boolean isPrivate, boolean added)
      implements Request, gmemsim.model.StepObjects.OnGfn {
    public String step() {
      return "kvm_tdp_mmu_map";
    }

    @Override
    public String describe() {
      return step() + "(gfn " + hex(gfn) + " -> pfn " + hex(pfn) + (isPrivate ? ", private" : ", shared")
          + ", max order " + maxOrder + ")";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.tdpMmuMap(this, ctx);
    }
  }

  /**
   * The CPU's EPT walk for a guest access (hardware, no lock): the pfn and, as ghost, its
   * generation; -1 for an EPT violation; -2 for a #VE on a PENDING private page of a TD.
   */
  public record EptWalk(long gfn, boolean isPrivate) implements Request, gmemsim.model.StepObjects.OnGfn {
    public String step() {
      return "EPT walk";
    }

    @Override
    public String describe() {
      return step() + "(gfn " + hex(gfn) + (isPrivate ? ", private" : ", shared") + ")";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.eptWalk(this, ctx);
    }
  }

  /**
   * TDG.MEM.PAGE.ACCEPT by the guest, at the size of the leaf that maps gfn (the guest tries 2M
   * first): 0 once accepted, -1 if nothing maps gfn (an EPT violation, KVM faults it in).
   */
  public record TdgMemPageAccept(long gfn) implements Request, gmemsim.model.StepObjects.OnGfn {
    public String step() {
      return "tdg_mem_page_accept";
    }

    @Override
    public String describe() {
      return step() + "(gfn " + hex(gfn) + ")";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.tdgMemPageAccept(this, ctx);
    }
  }

  /** kvm_mmu_invalidate_begin(): in_progress++; the range becomes INVALID when it was 0. */
  public record MmuInvalidateBegin() implements Request {
    public String step() {
      return "kvm_mmu_invalidate_begin";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.mmuInvalidateBegin(ctx);
    }
  }

  /** kvm_mmu_invalidate_range_add(): set the range if INVALID, else grow it to the union. */
  public record MmuInvalidateRangeAdd(long start, long end) implements Request, gmemsim.model.StepObjects.OnGfnRange {
    public String step() {
      return "kvm_mmu_invalidate_range_add";
    }

    @Override
    public String describe() {
      return step() + " [" + hex(start) + ", " + hex(end) + ")";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.mmuInvalidateRangeAdd(this, ctx);
    }
  }

  /**
   * kvm_arch_pre_set_memory_attributes() since commit 9129633d568e: add the partly covered 2M
   * blocks at both ends of [start, end) to the invalidation range.
   */
  public record MmuInvalidateRangeAddHugepages(long start, long end) implements Request, gmemsim.model.StepObjects.OnGfnRange {
    public String step() {
      return "kvm_arch_pre_set_memory_attributes";
    }

    @Override
    public String describe() {
      return step() + " [" + hex(start) + ", " + hex(end) + "): add partly covered 2M blocks";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.rangeAddHugepages(this, ctx);
    }
  }

  /** kvm_arch_post_set_memory_attributes(): update lpage_info's mixed flags for [start, end). */
  public record KvmArchPostSetMemoryAttributes(long start, long end) implements Request, gmemsim.model.StepObjects.OnGfnRange {
    public String step() {
      return "kvm_arch_post_set_memory_attributes";
    }

    @Override
    public String describe() {
      return step() + " [" + hex(start) + ", " + hex(end) + ")";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.postSetMemoryAttributes(this, ctx);
    }
  }

  /**
   * kvm_mmu_unmap_gfn_range(): kvm_mmu_invalidate_range_add(start, end), then zap every leaf
   * that overlaps [start, end) whose kind passes the filter (a 2M leaf goes whole). Replies 1 if
   * anything was zapped (the caller flushes). userStart/userEnd: the range userspace asked for,
   * ghost, for the over-zap oracle.
   */
  public record MmuUnmapGfnRange(long start, long end, boolean zapPrivate, boolean zapShared, long userStart, long userEnd)
      implements Request, gmemsim.model.StepObjects.OnGfnRange {
    public String step() {
      return "kvm_mmu_unmap_gfn_range";
    }

    @Override
    public String describe() {
      return step() + " [" + hex(start) + ", " + hex(end) + ")" + (zapPrivate ? zapShared ? "" : " PRIVATE" : " SHARED");
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.mmuUnmapGfnRange(this, ctx);
    }
  }

  /** kvm_mmu_invalidate_end(): seq++, smp_wmb(), in_progress--. */
  public record MmuInvalidateEnd() implements Request {
    public String step() {
      return "kvm_mmu_invalidate_end";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.mmuInvalidateEnd(ctx);
    }
  }

  /**
   * kvm_split_cross_boundary_leafs() (TDX huge pages): demote every 2M private leaf that crosses
   * start or end to 4K leaves (BLOCK, TRACK, kick, DEMOTE); -ENOMEM when the page-table page for
   * the split cannot be allocated, and then nothing changed.
   */
  public record SplitCrossBoundaryLeafs(long start, long end) implements Request, gmemsim.model.StepObjects.OnGfnRange {
    public String step() {
      return "kvm_split_cross_boundary_leafs";
    }

    @Override
    public String describe() {
      return step() + " [" + hex(start) + ", " + hex(end) + ")";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.splitCrossBoundaryLeafs(this, ctx);
    }
  }

  /** The xa_store() loop of kvm_vm_set_mem_attributes() over [start, end) (under slots_lock). */
  public record SetMemAttributes(long start, long end, boolean isPrivate) implements Request, gmemsim.model.StepObjects.OnGfnRange {
    public String step() {
      return "xa_store(mem_attr_array)";
    }

    @Override
    public String describe() {
      return step() + " [" + hex(start) + ", " + hex(end) + ")" + (isPrivate ? " PRIVATE" : " SHARED");
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.setMemAttributes(this, ctx);
    }
  }

  /** kvm_gmem_get_file()'s read of slot->gmem.file (under SRCU): 1 while a file is bound. */
  public record SlotGmemFile(long gfn) implements Request, gmemsim.model.StepObjects.OnGfn {
    public String step() {
      return "slot->gmem.file";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.slotGmemFile(this, ctx);
    }
  }

  /** kvm_gmem_release(): WRITE_ONCE(slot->gmem.file, NULL) for the bound slot. */
  public record ClearSlotGmemFile() implements Request {
    public String step() {
      return "slot->gmem.file = NULL";
    }

    public void applyTo(Kvm k, Ctx ctx) {
      k.clearSlotGmemFile(ctx);
    }
  }
}
