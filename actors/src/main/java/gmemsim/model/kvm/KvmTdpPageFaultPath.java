package gmemsim.model.kvm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.gmem.GmemEnv;
import gmemsim.model.gmem.GmemProtocol;
import gmemsim.model.gmem.KvmGmemGetPfnPath;
import gmemsim.model.gmem.KvmGmemReleasePath;
import gmemsim.model.gmem.Task;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * kvm_tdp_page_fault() for one gfn backed by guest_memfd (kernel-model §6): snapshot
 * mmu_invalidate_seq; check the memory attributes against the access (a mismatch is a
 * KVM_EXIT_MEMORY_FAULT to userspace); kvm_gmem_get_pfn() (get_file_active() on the bound file,
 * the folio with a reference, fput(); the 2025 variant wraps the lookup in
 * filemap_invalidate_lock_shared()); the lockless pre-check (kvm_mmu_faultin_pfn() runs it both
 * before and after the pfn lookup); read_lock(mmu_lock); the retry check (is_page_fault_stale());
 * kvm_tdp_mmu_map(); kvm_release_faultin_page() while mmu_lock is held; read_unlock. The last
 * fput() queues __fput() as task_work, which runs at the end of the fault, before the next guest
 * entry (the file's release then runs in this task). Which checks run is
 * {@code kvm.fault-retry-check}. Also kvm_tdp_map_page() for populate
 * ({@code added}: TDH.MEM.PAGE.ADD instead of AUG).
 *
 * <p>{@link #result}: {@link #FIXED}, {@link #RETRY} (the guest re-executes the access and faults
 * again), or an error KVM_RUN returns (-EFAULT, also for the memory-fault exit).
 */
public final class KvmTdpPageFaultPath extends PcPath<KvmTdpPageFaultPath.Pc> {
  public static final int FIXED = 0;
  public static final int RETRY = 1;

  enum Pc {
    SEQ,
    PRE_CHECK,
    ATTRIBUTES,
    SLOT_FILE,
    GET_FILE_ACTIVE,
    INVALIDATE_LOCK,
    GET_PFN,
    INVALIDATE_UNLOCK,
    FPUT,
    LOCKLESS_CHECK,
    MMU_LOCK,
    RETRY_CHECK,
    MAP,
    MMU_UNLOCK,
    RELEASE_PAGE,
    TASK_WORK,
    DONE
  }

  private final GmemEnv env;
  private final KvmBinding b;
  private final Task task;
  private final int index;
  private final long gfn;
  private final boolean isPrivate;
  private final boolean added;
  private boolean again;
  private long mmuSeq;
  private KvmGmemGetPfnPath getPfn;
  private int err;
  private boolean stale;
  private boolean lastFput;
  private boolean locked;
  /** FIXED, RETRY or a negative errno. */
  public int result;
  /** The memory attributes did not match the access: KVM_EXIT_MEMORY_FAULT. */
  public boolean memoryFaultExit;

  /**
   * KVM_RUN failed for good (the file is gone): the VM stops. A memory-fault exit does not stop
   * it, only leaves the access undone.
   */
  public boolean vmStops() {
    return result < 0 && !memoryFaultExit;
  }

  public KvmTdpPageFaultPath(GmemEnv env, Task task, int index, boolean isPrivate, boolean added) {
    this.env = env;
    this.b = env.kvm();
    this.task = task;
    this.index = index;
    this.gfn = b.gfn(index);
    this.isPrivate = isPrivate;
    this.added = added;
  }

  @Override
  public String name() {
    return added ? "kvm_tdp_map_page" : "kvm_tdp_page_fault";
  }

  private boolean kvm(Ctx ctx, Pc next, KvmProtocol.Request r) {
    return request(ctx, next, b.kvm(), r);
  }

  private boolean inode(Ctx ctx, Pc next, GmemProtocol.Request r) {
    return request(ctx, next, env.inode(), r);
  }

  private boolean finish(int res) {
    result = res;
    return finishAt(Pc.DONE);
  }

  /** Ends the fault; task_work queued by the last fput runs first (before the next entry). */
  private boolean finish(Ctx ctx, int res) {
    result = res;
    if (lastFput) {
      lastFput = false;
      return callAt(ctx, Pc.TASK_WORK, new KvmGmemReleasePath(env, task));
    }
    return finishAt(Pc.DONE);
  }

  @Override
  protected boolean begin(Ctx ctx) {
    result = FIXED;
    memoryFaultExit = false;
    err = 0;
    stale = false;
    lastFput = false;
    locked = false;
    getPfn = null;
    boolean retry = again;
    again = true;
    return kvm(ctx, Pc.SEQ, new KvmProtocol.ReadMmuInvalidateSeq(retry));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case SEQ -> {
        mmuSeq = r.value();
        if (b.design().retryCheck() == FaultRetryCheck.NONE) {
          return kvm(ctx, Pc.ATTRIBUTES, new KvmProtocol.KvmMemIsPrivate(gfn));
        }
        // kvm_mmu_faultin_pfn(): the lockless check runs before the pfn is looked up too.
        return kvm(ctx, Pc.PRE_CHECK, new KvmProtocol.MmuInvalidateRetryGfn(gfn, mmuSeq, true));
      }
      case PRE_CHECK -> {
        if (r.value() != 0) return finish(RETRY);
        return kvm(ctx, Pc.ATTRIBUTES, new KvmProtocol.KvmMemIsPrivate(gfn));
      }
      case ATTRIBUTES -> {
        if ((r.value() != 0) != isPrivate) {
          if (ctx.tracing()) ctx.note("attributes changed under the access: KVM_EXIT_MEMORY_FAULT");
          memoryFaultExit = true;
          return finish(Errno.EFAULT);
        }
        return kvm(ctx, Pc.SLOT_FILE, new KvmProtocol.SlotGmemFile(gfn));
      }
      case SLOT_FILE -> {
        if (r.value() == 0) return finish(Errno.EFAULT);
        return inode(ctx, Pc.GET_FILE_ACTIVE, new GmemProtocol.GetFileActive());
      }
      case GET_FILE_ACTIVE -> {
        if (r.value() == 0) return finish(Errno.EFAULT);
        if (b.design().getPfnTakesInvalidateLock()) {
          return inode(ctx, Pc.INVALIDATE_LOCK, new GmemProtocol.InvalidateLock(false));
        }
        return callGetPfn(ctx);
      }
      case INVALIDATE_LOCK -> {
        return callGetPfn(ctx);
      }
      case GET_PFN -> {
        err = task.dead() ? Errno.EFAULT : getPfn.result();
        if (b.design().getPfnTakesInvalidateLock()) {
          return inode(ctx, Pc.INVALIDATE_UNLOCK, new GmemProtocol.InvalidateUnlock(false));
        }
        return inode(ctx, Pc.FPUT, new GmemProtocol.Fput());
      }
      case INVALIDATE_UNLOCK -> {
        return inode(ctx, Pc.FPUT, new GmemProtocol.Fput());
      }
      case FPUT -> {
        // The last reference: fput() queues __fput() as task_work, which runs when the vCPU
        // thread next heads for guest entry, after this fault (see finish()).
        lastFput = r.value() == 0;
        return afterGetPfn(ctx);
      }
      case LOCKLESS_CHECK -> {
        if (r.value() != 0) {
          stale = true;
          return releasePage(ctx);
        }
        return kvm(ctx, Pc.MMU_LOCK, new KvmProtocol.MmuLock(false));
      }
      case MMU_LOCK -> {
        locked = true;
        if (b.design().retryCheck() == FaultRetryCheck.FULL) {
          return kvm(ctx, Pc.RETRY_CHECK, new KvmProtocol.MmuInvalidateRetryGfn(gfn, mmuSeq, false));
        }
        return map(ctx);
      }
      case RETRY_CHECK -> {
        if (r.value() != 0) stale = true;
        // kvm_mmu_finish_page_fault() releases the page while mmu_lock is still held.
        return stale ? releasePage(ctx) : map(ctx);
      }
      case MAP -> {
        return releasePage(ctx);
      }
      case RELEASE_PAGE -> {
        if (locked) return kvm(ctx, Pc.MMU_UNLOCK, new KvmProtocol.MmuUnlock(false));
        return finish(ctx, stale ? RETRY : FIXED);
      }
      case MMU_UNLOCK -> {
        return finish(ctx, stale ? RETRY : FIXED);
      }
      case TASK_WORK -> {
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean callGetPfn(Ctx ctx) {
    getPfn = KvmGmemGetPfnPath.forFault(env, task, index);
    return callAt(ctx, Pc.GET_PFN, getPfn);
  }

  private boolean afterGetPfn(Ctx ctx) {
    if (err != 0) return finish(ctx, err);
    if (b.design().retryCheck() == FaultRetryCheck.NONE) {
      return kvm(ctx, Pc.MMU_LOCK, new KvmProtocol.MmuLock(false));
    }
    return kvm(ctx, Pc.LOCKLESS_CHECK, new KvmProtocol.MmuInvalidateRetryGfn(gfn, mmuSeq, true));
  }

  private boolean map(Ctx ctx) {
    return kvm(ctx, Pc.MAP, new KvmProtocol.TdpMmuMap(gfn, getPfn.heldPfn(), getPfn.heldGen(), getPfn.maxOrder(), isPrivate, added));
  }

  /** kvm_release_faultin_page(): the mapping, if any, now stands on its own. */
  private boolean releasePage(Ctx ctx) {
    int folio = getPfn.heldFolio();
    return request(ctx, Pc.RELEASE_PAGE, env.memoryFor(folio), new MemoryProtocol.FolioPut(folio, 1));
  }

  @Override
  protected String here() {
    return pc + " gfn " + hex(gfn) + (getPfn != null && getPfn.result() == 0 && pc.ordinal() > Pc.GET_PFN.ordinal()
        ? " pfn " + hex(getPfn.heldPfn()) : "");
  }
}
