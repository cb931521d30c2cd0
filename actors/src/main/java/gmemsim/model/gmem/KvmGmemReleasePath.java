package gmemsim.model.gmem;

import gmemsim.model.Ctx;
import gmemsim.model.kvm.KvmProtocol;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * kvm_gmem_release() (§5), run by whoever drops the file's last reference, then the inode's
 * eviction: mutex_lock(slots_lock), filemap_invalidate_lock(), slot->gmem.file = NULL (later
 * kvm_gmem_get_pfn() calls see no file: -EFAULT), invalidate the whole file (no split: everything
 * goes), unlock both; then truncate_inode_pages_final() frees the page cache.
 */
public final class KvmGmemReleasePath extends CallingPath {
  private enum Pc {
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
  private Pc pc;

  public KvmGmemReleasePath(GmemEnv env, Task task) {
    this.env = env;
    this.task = task;
  }

  @Override
  public String name() {
    return "kvm_gmem_release";
  }

  private boolean kvm(Ctx ctx, Pc next, KvmProtocol.Request r) {
    pc = next;
    ctx.send(env.kvm().kvm(), r);
    return false;
  }

  private boolean inode(Ctx ctx, Pc next, GmemProtocol.Request r) {
    pc = next;
    ctx.send(env.inode(), r);
    return false;
  }

  @Override
  protected boolean begin(Ctx ctx) {
    return kvm(ctx, Pc.SLOTS_LOCK, new KvmProtocol.SlotsLock(true));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case SLOTS_LOCK -> {
        return inode(ctx, Pc.INVALIDATE_LOCK, new GmemProtocol.InvalidateLock(true));
      }
      case INVALIDATE_LOCK -> {
        return kvm(ctx, Pc.CLEAR_FILE, new KvmProtocol.ClearSlotGmemFile());
      }
      case CLEAR_FILE -> {
        pc = Pc.INVALIDATE_BEGIN;
        int size = env.sizePages();
        return call(new KvmGmemInvalidateBeginPath(env.kvm(), 0, size, 0, size, false), ctx);
      }
      case INVALIDATE_BEGIN -> {
        pc = Pc.INVALIDATE_END;
        return call(KvmGmemInvalidateEndPath.of(env.kvm()), ctx);
      }
      case INVALIDATE_END -> {
        return inode(ctx, Pc.INVALIDATE_UNLOCK, new GmemProtocol.InvalidateUnlock(true));
      }
      case INVALIDATE_UNLOCK -> {
        return kvm(ctx, Pc.SLOTS_UNLOCK, new KvmProtocol.SlotsLock(false));
      }
      case SLOTS_UNLOCK -> {
        pc = Pc.EVICT;
        return call(new KvmGmemPunchHolePath(env, task, 0, env.sizePages(), true), ctx);
      }
      case EVICT -> {
        pc = Pc.DONE;
        return true;
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  @Override
  protected String here() {
    return pc.toString();
  }
}
