package gmemsim.model.kvm;

import gmemsim.model.prim.StateOwner;
import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.KernelEvents;
import gmemsim.model.lock.RwSem;
import gmemsim.model.prim.Call;
import gmemsim.model.prim.LockOwner;
import gmemsim.model.prim.Primitive;
import gmemsim.model.prim.Structs;
import java.util.Arrays;

/**
 * One VM's struct kvm as guest_memfd meets it (kernel-model §6): mmu_lock (a rwlock: faults read,
 * invalidations write) and slots_lock, the invalidation sequence and range, the memory attributes
 * of each gfn, one memslot bound to a guest_memfd, and the EPT (for a TD, the S-EPT mirror and the
 * TDX module's PENDING/ACCEPTED state of each private page) with 4K and 2M leaves. A 2M leaf is
 * kept as its 512 gfns, each with its own pfn, so a demotion only changes their order.
 */
public final class Kvm implements gmemsim.model.prim.KernelObject, LockOwner {
  static final int HUGE_ORDER = 9;
  private static final int HUGE = 1 << HUGE_ORDER;
  private static final byte SEPT_NONE = 0;
  private static final byte SEPT_PENDING = 1;
  private static final byte SEPT_ACCEPTED = 2;
  private static final long INVALID = -1;

  private final String name;
  private final int vm;
  private final VmType type;
  private final long baseGfn;
  private final double splitAllocFail;
  private final RwSem mmuLock;
  private final RwSem slotsLock;
  private final boolean[] attrPrivate;
  private final int[] spte;
  private final long[] gen;
  private final byte[] order;
  private final boolean[] sptePrivate;
  private final byte[] sept;
  /**
   * KVM_LPAGE_MIXED_FLAG of lpage_info per 2M block: the block's attributes are not uniform, so no
   * 2M leaf may map it. Updated only by the post-set pass, read by the fault's hugepage decision.
   */
  private final boolean[] mixed;
  /** slot->gmem.file: the bound file's handle, 0 (NULL) once kvm_gmem_release() cleared it. */
  private long gmemFile;
  /** kvm->users_count: the VM fd, each vCPU fd and the guest_memfd file hold one (bootUsers()). */
  private int usersCount = 1;
  /** kvm_arch_free_vm() ran: the struct is freed memory. */
  private boolean freed;
  private long seq;
  private int inProgress;
  private long rangeStart = INVALID;
  private long rangeEnd = INVALID;

  /**
   * @param baseGfn first gfn of the one memslot (2M aligned), bound to guest_memfd index 0
   * @param pages memslot size in pages
   * @param splitAllocFail chance that the page table an S-EPT split needs cannot be allocated
   */
  public Kvm(String name, int vm, VmType type, long baseGfn, int pages, double splitAllocFail) {
    this(name, vm, type, baseGfn, pages, splitAllocFail, true);
  }

  /**
   * @param privateAtBoot whether the VMM made all guest memory private before any vCPU ran; false
   *     for a memslot backed by an ordinary user mapping (no guest_memfd)
   */
  public Kvm(String name, int vm, VmType type, long baseGfn, int pages, double splitAllocFail, boolean privateAtBoot) {
    if (baseGfn % HUGE != 0) throw new IllegalArgumentException("memslot base gfn not 2M aligned");
    this.name = name;
    this.vm = vm;
    this.type = type;
    this.baseGfn = baseGfn;
    this.splitAllocFail = splitAllocFail;
    this.mmuLock = new RwSem(name + " mmu_lock");
    this.slotsLock = new RwSem(name + " slots_lock");
    this.attrPrivate = new boolean[pages];
    // The VMM made all guest memory private before any vCPU ran (KVM_SET_MEMORY_ATTRIBUTES).
    Arrays.fill(attrPrivate, privateAtBoot);
    this.spte = new int[pages];
    Arrays.fill(spte, -1);
    this.gen = new long[pages];
    this.order = new byte[pages];
    this.sptePrivate = new boolean[pages];
    this.sept = new byte[pages];
    // kvm_mmu_init_memslot_memory_attributes(): uniform attributes at creation, nothing mixed.
    this.mixed = new boolean[(pages + HUGE - 1) / HUGE];
  }

  @Override
  public String name() {
    return name;
  }

  /** The references taken before the run: the VM fd's, one per vCPU fd, the guest_memfd file's. */
  public void bootUsers(int n) {
    usersCount = n;
  }

  @Override
  public boolean freed() {
    return freed;
  }

  @Override
  public String objectName() {
    return "struct kvm " + name;
  }

  @Override
  public java.util.List<String> ghost(
      java.util.Set<Integer> pfns, java.util.function.IntFunction<String> names) {
    java.util.List<String> out = new java.util.ArrayList<>();
    out.add(
        "mmu_invalidate_seq "
            + seq
            + ", mmu_invalidate_in_progress "
            + inProgress
            + (inProgress > 0 ? ", range [" + hex(rangeStart) + ", " + hex(rangeEnd) + ")" : ""));
    for (int i = 0; i < spte.length; i++) {
      if (spte[i] >= 0 && pfns.contains(spte[i])) {
        out.add(
            (type == VmType.TDX ? "S-EPT" : "EPT")
                + " maps gfn "
                + hex(gfnOf(i))
                + " -> "
                + hex(spte[i])
                + (sptePrivate[i] ? " private" : " shared")
                + (order[i] == HUGE_ORDER ? " (2M leaf)" : " (4K)")
                + ", attributes say "
                + (attrPrivate[i] ? "private" : "shared"));
      }
    }
    return out;
  }

  /** The pfn the EPT maps gfn to, or -1 (tests). */
  public int spte(long gfn) {
    return spte[ix(gfn)];
  }

  /** Whether lpage_info marks the 2M block of gfn mixed (tests). */
  public boolean hugepageMixed(long gfn) {
    return mixed[ix(gfn) / HUGE];
  }

  /** The invalidation range, {start, end}, or null while none is added (tests). */
  public long[] invalidateRange() {
    return rangeStart == INVALID ? null : new long[] {rangeStart, rangeEnd};
  }

  /** The order of the leaf mapping gfn (tests). */
  public int leafOrder(long gfn) {
    return order[ix(gfn)];
  }

  public long mmuInvalidateSeq() {
    return seq;
  }

  /** kvm_gmem_bind() of the machine's layout: the memslot's slot->gmem.file is the file handle f. */
  public void bindGmemFile(long f) {
    gmemFile = f;
  }

  private int ix(long gfn) {
    long i = gfn - baseGfn;
    if (i < 0 || i >= spte.length) throw new IllegalArgumentException("gfn " + hex(gfn) + " outside the memslot");
    return (int) i;
  }

  private long gfnOf(int i) {
    return baseGfn + i;
  }

  /** First index of the leaf that maps index i. */
  private int leafStart(int i) {
    return order[i] == HUGE_ORDER ? i & ~(HUGE - 1) : i;
  }

  /**
   * kvm_mmu_hugepage_adjust() / __kvm_mmu_max_mapping_level(): a 2M leaf needs a 2M folio, a
   * 2M-aligned block inside the memslot whose lpage_info is not marked mixed, and nothing mapped
   * there yet (a TD never merges). The mixed flag, not the live attributes, is what the kernel
   * reads; it lags the attribute store until the post-set pass.
   */
  private boolean hugeAllowed(int i, int maxOrder, boolean added) {
    if (maxOrder < HUGE_ORDER || added) return false;
    int first = i & ~(HUGE - 1);
    if (first + HUGE > spte.length || mixed[first / HUGE]) return false;
    for (int k = first; k < first + HUGE; k++) {
      if (spte[k] >= 0) return false;
    }
    return true;
  }

  /** The range only grows until in_progress drops back to 0. */
  private void rangeAdd(long start, long end) {
    if (rangeStart == INVALID) {
      rangeStart = start;
      rangeEnd = end;
    } else {
      rangeStart = Math.min(rangeStart, start);
      rangeEnd = Math.max(rangeEnd, end);
    }
  }

  private void zapLeaf(int first, int nr, long userStart, long userEnd, Ctx ctx) {
    boolean removedFromTd = type == VmType.TDX && sptePrivate[first];
    int acceptedOutside = 0;
    for (int k = first; k < first + nr; k++) {
      long g = gfnOf(k);
      if (sept[k] == SEPT_ACCEPTED && (g < userStart || g >= userEnd)) acceptedOutside++;
      spte[k] = -1;
      gen[k] = 0;
      order[k] = 0;
      sept[k] = SEPT_NONE;
    }
    if (removedFromTd) {
      ctx.emit(new KvmEvents.SeptLeafRemoved(ctx.name(ctx.sender()), vm, gfnOf(first), nr, userStart, userEnd, acceptedOutside));
    }
  }

  /** The first index of a 2M leaf that strictly contains the boundary gfn, or -1. */
  private int crossing(long boundary) {
    long i = boundary - baseGfn;
    if (i <= 0 || i >= spte.length || i % HUGE == 0) return -1;
    int first = (int) i & ~(HUGE - 1);
    return spte[first] >= 0 && order[first] == HUGE_ORDER ? first : -1;
  }

  private void requireWriteLocked(String what) {
    if (!mmuLock.heldForWrite()) throw new IllegalStateException(what + " without mmu_lock held for write");
  }

  private static final int MMU_LOCK = Structs.id("kvm", "mmu_lock");
  /** enum kvm_gfn_range_filter (include/linux/kvm_host.h). */
  public static final long KVM_FILTER_SHARED = 1;
  public static final long KVM_FILTER_PRIVATE = 2;
  private static final int SLOTS_LOCK = Structs.id("kvm", "slots_lock");

  @Override
  public java.util.List<RwSem> locks() {
    return java.util.List.of(mmuLock, slotsLock);
  }

  /**
   * The end of a run: an invalidation begun and never ended leaves in_progress raised, and every
   * later fault in the range would retry for ever (kvm_mmu_invalidate_end() is what lowers it).
   */
  @Override
  public void onQuiescence(gmemsim.model.Ctx ctx) {
    // A destroyed VM's MMU, locks and counters went with it (kvm_destroy_vm() warned about an
    // invalidation still in progress): nothing is left to balance.
    if (freed) return;
    if (inProgress != 0) {
      ctx.emit(new gmemsim.model.BalanceEvents.LeftUnbalanced(name, "mmu_invalidate_in_progress is " + inProgress
          + " when the run ends: a kvm_mmu_invalidate_begin() without its kvm_mmu_invalidate_end()"
          + (rangeStart == INVALID ? "" : ", range [" + hex(rangeStart) + ", " + hex(rangeEnd) + ")"),
          java.util.List.of(), java.util.List.of(name + ".mmu_invalidate_in_progress")));
    }
    reportHeldLocks(name, ctx);
    int n = 0;
    for (int pfn : spte) if (pfn >= 0) n++;
    long[] gfns = new long[n];
    int[] pfns = new int[n];
    for (int i = 0, k = 0; i < spte.length; i++) {
      if (spte[i] < 0) continue;
      gfns[k] = gfnOf(i);
      pfns[k++] = spte[i];
    }
    ctx.emit(new gmemsim.model.BalanceEvents.EptAtEnd(name, gfns, pfns));
  }

  @Override
  public RwSem lock(int field) {
    if (field == MMU_LOCK) return mmuLock;
    if (field == SLOTS_LOCK) return slotsLock;
    throw new IllegalStateException(name + " has no lock " + Structs.fieldPath(field));
  }

  @Primitive(value = "mmu_invalidate_seq", args = "kvm", ret = "unsigned long",
      doc = "a read of kvm->mmu_invalidate_seq (a fault's snapshot, then smp_rmb(); virt/kvm/kvm_main.c)")
  long mmuInvalidateSeqStep(Call c) {
    if (c.ctx().tracing()) c.ctx().note("seq " + seq);
    return seq;
  }

  @Primitive(value = "kvm_mem_is_private", args = {"kvm", "gfn"}, ret = "bool", objects = "gfn", decides = {"private", "shared"},
      doc = "kvm_mem_is_private(): the gfn's memory attributes (include/linux/kvm_host.h)")
  long kvmMemIsPrivateStep(Call c) {
    boolean p = attrPrivate[ix(c.arg(1))];
    if (c.ctx().tracing()) c.ctx().note(p ? "PRIVATE" : "shared");
    return p ? 1 : 0;
  }

  /** mmu_invalidate_retry_gfn() and its lockless twin. */
  private long retryGfn(Call c, boolean unsafe) {
    long gfn = c.arg(2);
    long mmuSeq = c.arg(1);
    Ctx ctx = c.ctx();
    if (!unsafe && inProgress > 0 && rangeStart == INVALID) {
      // Dropping mmu_lock after begin without adding a range is a KVM bug.
      ctx.emit(new KernelEvents.Warn(ctx.name(ctx.sender()), "mmu_invalidate_retry_gfn", "mmu_invalidate_range_start == INVALID_GPA"));
      return 1;
    }
    boolean inRange = inProgress > 0 && rangeStart != INVALID && gfn >= rangeStart && gfn < rangeEnd;
    boolean retry = inRange || seq != mmuSeq;
    if (ctx.tracing()) {
      ctx.note(retry ? (inRange ? "invalidation of gfn in progress: retry" : "seq " + seq + " moved: retry")
          : "seq " + seq + ", in_progress " + inProgress + ": go ahead");
    }
    return retry ? 1 : 0;
  }

  @Primitive(value = "mmu_invalidate_retry_gfn", args = {"kvm", "mmu_seq", "gfn"}, ret = "bool", objects = "gfn",
      decides = {"retry", "no retry"},
      doc = "mmu_invalidate_retry_gfn() under mmu_lock: an invalidation of gfn in progress, or the sequence moved since"
          + " mmu_seq (include/linux/kvm_host.h)")
  long mmuInvalidateRetryGfnStep(Call c) {
    return retryGfn(c, false);
  }

  @Primitive(value = "mmu_invalidate_retry_gfn_unsafe", args = {"kvm", "mmu_seq", "gfn"}, ret = "bool", objects = "gfn",
      decides = {"retry", "no retry"},
      doc = "mmu_invalidate_retry_gfn_unsafe(): the same test without mmu_lock, a lockless pre-check (false negatives)")
  long mmuInvalidateRetryGfnUnsafeStep(Call c) {
    return retryGfn(c, true);
  }

  @Primitive(value = "kvm_tdp_mmu_map", args = {"kvm", "gfn", "pfn", "max_order", "is_private", "added"}, ret = "int",
      objects = "gfn", ref = gmemsim.model.prim.Ref.USES, refArg = "pfn",
      doc = "kvm_tdp_mmu_map() under read mmu_lock: install the leaf for gfn (2M when kvm_mmu_hugepage_adjust() allows),"
          + " for a TD's private gfn PENDING (AUG) or, added by populate, ACCEPTED; returns the leaf's order"
          + " (arch/x86/kvm/mmu/tdp_mmu.c); the EPT keeps, as ghost, the allocation the fault believes it pinned")
  long kvmTdpMmuMapStep(Call c) {
    Ctx ctx = c.ctx();
    if (mmuLock.readers() == 0 && !mmuLock.heldForWrite()) {
      throw new IllegalStateException("kvm_tdp_mmu_map without mmu_lock");
    }
    boolean isPrivate = c.arg(4) != 0;
    boolean added = c.arg(5) != 0;
    int i = ix(c.arg(1));
    if (spte[i] >= 0) {
      if (ctx.tracing()) ctx.note("already mapped to " + hex(spte[i]) + ": spurious fault");
      return order[i];
    }
    int ord = hugeAllowed(i, (int) c.arg(3), added) ? HUGE_ORDER : 0;
    int first = ord == HUGE_ORDER ? i & ~(HUGE - 1) : i;
    int nr = 1 << ord;
    int pfn0 = (int) c.arg(2) - (i - first);
    int mismatched = 0;
    byte state = type == VmType.TDX && isPrivate ? (added ? SEPT_ACCEPTED : SEPT_PENDING) : SEPT_NONE;
    for (int k = first; k < first + nr; k++) {
      if (attrPrivate[k] != isPrivate) mismatched++;
      spte[k] = pfn0 + (k - first);
      gen[k] = c.ghost(1);
      order[k] = (byte) ord;
      sptePrivate[k] = isPrivate;
      sept[k] = state;
    }
    ctx.emit(new KvmEvents.SpteInstalled(ctx.name(ctx.sender()), vm, gfnOf(first), nr, isPrivate, mismatched));
    if (ctx.tracing()) {
      ctx.note((ord == HUGE_ORDER ? "2M" : "4K") + " leaf gfn " + hex(gfnOf(first)) + " -> pfn " + hex(pfn0)
          + (state == SEPT_PENDING ? " (TDH.MEM.PAGE.AUG: PENDING)" : state == SEPT_ACCEPTED ? " (TDH.MEM.PAGE.ADD)" : ""));
    }
    return ord;
  }

  @Primitive(value = "__ept_walk", args = {"kvm", "gfn", "is_private"}, ret = "long", objects = "gfn",
      doc = "hardware: the CPU walks the EPT for gfn: the pfn (its ghost the allocation it maps), -1 not present (EPT"
          + " violation), -2 a TD's PENDING page (#VE)")
  long eptWalkStep(Call c) {
    int i = ix(c.arg(1));
    Ctx ctx = c.ctx();
    if (spte[i] < 0 || sptePrivate[i] != (c.arg(2) != 0)) {
      if (ctx.tracing()) ctx.note("not present: EPT violation");
      return -1;
    }
    if (sept[i] == SEPT_PENDING) {
      if (ctx.tracing()) ctx.note("PENDING private page: #VE");
      return -2;
    }
    if (ctx.tracing()) ctx.note("pfn " + hex(spte[i]));
    c.ghost(gen[i]);
    return spte[i];
  }

  @Primitive(value = "tdg_mem_page_accept", args = {"kvm", "gfn"}, ret = "int", objects = "gfn",
      doc = "the guest's TDG.MEM.PAGE.ACCEPT of gfn, at the size of the leaf that maps it; -1 if not mapped (TDX module)")
  long tdgMemPageAcceptStep(Call c) {
    int i = ix(c.arg(1));
    if (spte[i] < 0 || !sptePrivate[i]) {
      if (c.ctx().tracing()) c.ctx().note("not mapped: EPT violation");
      return -1;
    }
    int first = leafStart(i);
    int nr = 1 << order[i];
    for (int k = first; k < first + nr; k++) sept[k] = SEPT_ACCEPTED;
    if (c.ctx().tracing()) c.ctx().note((nr == HUGE ? "2M" : "4K") + " accepted at gfn " + hex(gfnOf(first)));
    return 0;
  }

  @Primitive(value = "kvm_mmu_invalidate_begin", args = "kvm", ret = "void",
      doc = "kvm_mmu_invalidate_begin(): in_progress++, the range INVALID when it becomes 1 (virt/kvm/kvm_main.c)")
  long kvmMmuInvalidateBeginStep(Call c) {
    requireWriteLocked("kvm_mmu_invalidate_begin");
    if (++inProgress == 1) rangeStart = rangeEnd = INVALID;
    if (c.ctx().tracing()) c.ctx().note("in_progress " + inProgress);
    return 0;
  }

  @Primitive(value = "kvm_mmu_invalidate_range_add", args = {"kvm", "start", "end"}, ret = "void", objects = "start..end",
      doc = "kvm_mmu_invalidate_range_add(): the range becomes [start, end) or grows to cover it (virt/kvm/kvm_main.c)")
  long kvmMmuInvalidateRangeAddStep(Call c) {
    requireWriteLocked("kvm_mmu_invalidate_range_add");
    rangeAdd(c.arg(1), c.arg(2));
    if (c.ctx().tracing()) c.ctx().note("range [" + hex(rangeStart) + ", " + hex(rangeEnd) + ")");
    return 0;
  }

  /**
   * kvm_arch_pre_set_memory_attributes() since commit 9129633d568e: add the 2M block holding the
   * first and the one holding the last changed gfn to the invalidation range when the change only
   * partly covers it, the block lies inside the memslot, and it is not already mixed (a mixed block
   * cannot get a 2M leaf anyway). Blocks the change covers whole are in [start, end) already.
   */
  @Primitive(value = "kvm_arch_pre_set_memory_attributes_hugepages", args = {"kvm", "start", "end"}, ret = "void",
      objects = "start..end",
      doc = "kvm_arch_pre_set_memory_attributes() since 9129633d568e: add the partly covered 2M blocks at both ends to"
          + " the invalidation range (arch/x86/kvm/mmu/mmu.c)")
  long rangeAddHugepagesStep(Call c) {
    requireWriteLocked("kvm_arch_pre_set_memory_attributes");
    long start = c.arg(1);
    long end = c.arg(2);
    int added = 0;
    for (long g : new long[] {start, end - 1}) {
      int i = ix(g);
      int first = i & ~(HUGE - 1);
      long blockStart = gfnOf(first);
      long blockEnd = blockStart + HUGE;
      boolean partly = start > blockStart || end < blockEnd;
      if (!partly || first + HUGE > spte.length || mixed[first / HUGE]) continue;
      rangeAdd(blockStart, blockEnd);
      added++;
    }
    if (c.ctx().tracing()) {
      c.ctx().note(added == 0 ? "no partly covered 2M block to add" : "range [" + hex(rangeStart) + ", " + hex(rangeEnd) + ")");
    }
    return 0;
  }

  /**
   * kvm_arch_post_set_memory_attributes(): recompute the mixed flag of every 2M block the change
   * touches from the attributes now stored (upstream checks only the head and tail blocks and
   * clears the flag of the ones covered whole, which gives the same result).
   */
  @Primitive(value = "kvm_arch_post_set_memory_attributes", args = {"kvm", "start", "end"}, ret = "void",
      objects = "start..end",
      doc = "kvm_arch_post_set_memory_attributes(): recompute lpage_info's mixed flag of the 2M blocks touched")
  long postSetMemoryAttributesStep(Call c) {
    requireWriteLocked("kvm_arch_post_set_memory_attributes");
    int firstBlock = ix(c.arg(1)) / HUGE;
    int lastBlock = ix(c.arg(2) - 1) / HUGE;
    int nowMixed = 0;
    for (int blk = firstBlock; blk <= lastBlock; blk++) {
      int first = blk * HUGE;
      int last = Math.min(spte.length, first + HUGE);
      boolean m = false;
      for (int k = first + 1; k < last && !m; k++) m = attrPrivate[k] != attrPrivate[first];
      mixed[blk] = m;
      if (m) nowMixed++;
    }
    if (c.ctx().tracing()) c.ctx().note(nowMixed + " of " + (lastBlock - firstBlock + 1) + " 2M block(s) now mixed");
    return 0;
  }

  @Primitive(value = "kvm_mmu_unmap_gfn_range", args = {"kvm", "start", "end", "attr_filter", "user_start", "user_end"},
      ret = "bool", objects = "start..end",
      doc = "kvm_mmu_unmap_gfn_range(): add [start, end) to the invalidation range and zap every leaf that overlaps it"
          + " whose kind the filter names (KVM_FILTER_PRIVATE, KVM_FILTER_SHARED); a leaf goes whole; true if any was"
          + " zapped. user_start/user_end: what userspace asked for (ghost, for over-zap)")
  long kvmMmuUnmapGfnRangeStep(Call c) {
    requireWriteLocked("kvm_mmu_unmap_gfn_range");
    long start = c.arg(1);
    long end = c.arg(2);
    long f = c.arg(3);
    boolean zapPrivate = (f & KVM_FILTER_PRIVATE) != 0;
    boolean zapShared = (f & KVM_FILTER_SHARED) != 0;
    rangeAdd(start, end);
    int zapped = 0;
    int from = Math.max(0, (int) (start - baseGfn));
    int to = Math.min(spte.length, (int) (end - baseGfn));
    for (int i = from; i < to; i++) {
      if (spte[i] < 0 || !(sptePrivate[i] ? zapPrivate : zapShared)) continue;
      int first = leafStart(i);
      int nr = 1 << order[i];
      zapLeaf(first, nr, c.arg(4), c.arg(5), c.ctx());
      zapped += nr;
      i = first + nr - 1;
    }
    if (c.ctx().tracing()) c.ctx().note("range [" + hex(rangeStart) + ", " + hex(rangeEnd) + "); " + zapped + " gfns unmapped");
    return zapped > 0 ? 1 : 0;
  }

  @Primitive(value = "kvm_mmu_invalidate_end", args = "kvm", ret = "void",
      doc = "kvm_mmu_invalidate_end(): seq++, then in_progress--; WARNs if no range was added (virt/kvm/kvm_main.c)")
  long kvmMmuInvalidateEndStep(Call c) {
    requireWriteLocked("kvm_mmu_invalidate_end");
    Ctx ctx = c.ctx();
    if (rangeStart == INVALID) {
      ctx.emit(new KernelEvents.Warn(ctx.name(ctx.sender()), "kvm_mmu_invalidate_end", "mmu_invalidate_range_start == INVALID_GPA"));
    }
    seq++;
    inProgress--;
    if (ctx.tracing()) ctx.note("seq " + seq + ", in_progress " + inProgress);
    return 0;
  }

  @Primitive(value = "kvm_split_cross_boundary_leafs", args = {"kvm", "start", "end"}, ret = "int", objects = "start..end",
      doc = "kvm_split_cross_boundary_leafs() (TDX huge pages, posted): demote 2M leaves that cross start or end; -ENOMEM"
          + " at faults.split-alloc-fail, nothing split")
  long kvmSplitCrossBoundaryLeafsStep(Call c) {
    requireWriteLocked("kvm_split_cross_boundary_leafs");
    Ctx ctx = c.ctx();
    int[] cross = {crossing(c.arg(1)), crossing(c.arg(2))};
    boolean any = cross[0] >= 0 || cross[1] >= 0;
    if (any && ctx.chance(splitAllocFail)) {
      if (ctx.tracing()) ctx.note("page table for the demotion: -ENOMEM, nothing split");
      return Errno.ENOMEM;
    }
    int split = 0;
    for (int first : cross) {
      if (first < 0 || order[first] != HUGE_ORDER) continue;
      for (int k = first; k < first + HUGE; k++) order[k] = 0;
      split++;
    }
    if (ctx.tracing()) ctx.note(split == 0 ? "no leaf crosses the boundaries" : split + " 2M leaf(s) demoted to 4K");
    return 0;
  }

  @Primitive(value = "kvm_mem_attributes_store", args = {"kvm", "start", "end", "is_private"}, ret = "void",
      objects = "start..end",
      doc = "kvm_vm_set_mem_attributes(): xa_store() of the new attributes over [start, end) (virt/kvm/kvm_main.c)")
  long kvmMemAttributesStoreStep(Call c) {
    long start = c.arg(1);
    long end = c.arg(2);
    boolean isPrivate = c.arg(3) != 0;
    int stillMapped = 0;
    for (long g = start; g < end; g++) {
      int i = ix(g);
      if (spte[i] >= 0 && sptePrivate[i] != isPrivate) stillMapped++;
      attrPrivate[i] = isPrivate;
    }
    c.ctx().emit(new KvmEvents.AttributesStored(c.callerName(), vm, start, end, isPrivate, stillMapped));
    if (c.ctx().tracing()) c.ctx().note((end - start) + " gfns now " + (isPrivate ? "PRIVATE" : "shared"));
    return 0;
  }

  @Primitive(value = "kvm_slot_gmem_file", args = "slot", ret = "struct file *", decides = {"bound", "NULL"},
      doc = "READ_ONCE(slot->gmem.file): the bound guest_memfd file, NULL once kvm_gmem_release() cleared it"
          + " (virt/kvm/guest_memfd.c)")
  long kvmSlotGmemFileStep(Call c) {
    if (c.ctx().tracing()) c.ctx().note(gmemFile != 0 ? "file bound" : "NULL");
    return gmemFile;
  }

  @Primitive(value = "kvm_slot_gmem_file_clear", args = "slot", ret = "void",
      doc = "kvm_gmem_release(): WRITE_ONCE(slot->gmem.file, NULL) of each bound memslot (virt/kvm/guest_memfd.c)")
  long kvmSlotGmemFileClearStep(Call c) {
    gmemFile = 0;
    return 0;
  }

  private static final int USERS_COUNT = Structs.id("kvm", "users_count");

  @Primitive(value = "refcount_dec_and_test", args = "r", ret = "bool", decides = {"last", "not last"},
      doc = "refcount_dec_and_test(&kvm->users_count) of kvm_put_kvm(): drop one reference on the VM; true when it was the"
          + " last (include/linux/refcount.h)")
  long refcountDecAndTestStep(Call c) {
    int f = gmemsim.model.prim.Handles.field(c.arg(0));
    if (f != USERS_COUNT) throw new IllegalStateException(name + " has no refcount " + (f < 0 ? "" : Structs.fieldPath(f)));
    usersCount--;
    if (c.ctx().tracing()) c.ctx().note("users_count " + (usersCount + 1) + " -> " + usersCount);
    return usersCount == 0 ? 1 : 0;
  }

  @Primitive(value = "mmu_invalidate_in_progress", args = "kvm", ret = "long",
      doc = "a read of kvm->mmu_invalidate_in_progress (kvm_destroy_vm()'s WARN_ON: no invalidation may still be running)")
  long mmuInvalidateInProgressStep(Call c) {
    if (c.ctx().tracing()) c.ctx().note("in_progress " + inProgress);
    return inProgress;
  }

  @Primitive(value = "kvm_arch_free_vm", args = "kvm", ret = "void",
      doc = "kvm_arch_free_vm(): kvfree() of struct kvm at the end of kvm_destroy_vm(); any later step on it is a use after"
          + " free (virt/kvm/kvm_main.c)")
  long kvmArchFreeVmStep(Call c) {
    freed = true;
    if (c.ctx().tracing()) c.ctx().note("struct kvm freed");
    return 0;
  }
}
