package gmemsim.model.gmem;

import gmemsim.model.Ctx;
import gmemsim.model.kvm.KvmProtocol;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * kvm_gmem_release() (§5), run by whoever drops the file's last reference, then the inode's
 * eviction: mutex_lock(slots_lock), filemap_invalidate_lock(), slot->gmem.file = NULL (later
 * kvm_gmem_get_pfn() calls see no file: -EFAULT), invalidate the whole file (no split: everything
 * goes), unlock both; then truncate_inode_pages_final() frees the page cache. A file never bound
 * has no bindings to invalidate: only the invalidate lock and the eviction.
 */
public final class KvmGmemReleasePath extends PcPath<KvmGmemReleasePath.Pc> {
  enum Pc {
    SLOTS_LOCK,
    INVALIDATE_LOCK,
    CLEAR_FILE,
    INVALIDATE_BEGIN,
    INVALIDATE_END,
    INVALIDATE_UNLOCK,
    SLOTS_UNLOCK,
    EVICT,
    DONE
  }

  private final GmemEnv env;
  private final Task task;

  public KvmGmemReleasePath(GmemEnv env, Task task) {
    this.env = env;
    this.task = task;
  }

  @Override
  public String name() {
    return "kvm_gmem_release";
  }

  private boolean kvm(Ctx ctx, Pc next, KvmProtocol.Request r) {
    return request(ctx, next, env.kvm().kvm(), r);
  }

  private boolean inode(Ctx ctx, Pc next, GmemProtocol.Request r) {
    return request(ctx, next, env.inode(), r);
  }

  @Override
  protected boolean begin(Ctx ctx) {
    // A file no memslot was ever bound to: the binding walk finds nothing to invalidate (and no
    // modelled path contends on that VM's slots_lock).
    if (env.kvm() == null) return inode(ctx, Pc.INVALIDATE_LOCK, new GmemProtocol.InvalidateLock(true));
    return kvm(ctx, Pc.SLOTS_LOCK, new KvmProtocol.SlotsLock(true));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case SLOTS_LOCK -> {
        return inode(ctx, Pc.INVALIDATE_LOCK, new GmemProtocol.InvalidateLock(true));
      }
      case INVALIDATE_LOCK -> {
        if (env.kvm() == null) return inode(ctx, Pc.INVALIDATE_UNLOCK, new GmemProtocol.InvalidateUnlock(true));
        return kvm(ctx, Pc.CLEAR_FILE, new KvmProtocol.ClearSlotGmemFile());
      }
      case CLEAR_FILE -> {
        int size = env.sizePages();
        return callAt(ctx, Pc.INVALIDATE_BEGIN, new KvmGmemInvalidateBeginPath(env.kvm(), 0, size, 0, size, false));
      }
      case INVALIDATE_BEGIN -> {
        return callAt(ctx, Pc.INVALIDATE_END, KvmGmemInvalidateEndPath.of(env.kvm()));
      }
      case INVALIDATE_END -> {
        return inode(ctx, Pc.INVALIDATE_UNLOCK, new GmemProtocol.InvalidateUnlock(true));
      }
      case INVALIDATE_UNLOCK -> {
        if (env.kvm() == null) return callAt(ctx, Pc.EVICT, new KvmGmemPunchHolePath(env, task, 0, env.sizePages(), true));
        return kvm(ctx, Pc.SLOTS_UNLOCK, new KvmProtocol.SlotsLock(false));
      }
      case SLOTS_UNLOCK -> {
        return callAt(ctx, Pc.EVICT, new KvmGmemPunchHolePath(env, task, 0, env.sizePages(), true));
      }
      case EVICT -> {
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  @Override
  protected String here() {
    return pc.toString();
  }
}
