package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * fallocate(KEEP_SIZE) on a guest_memfd (kvm_gmem_allocate(), virt/kvm/guest_memfd.c): under
 * filemap_invalidate_lock_shared(), for each index of the range kvm_gmem_get_folio() (allocating
 * and adding the folio if missing), then folio_unlock() and folio_put(), moving on to the index
 * after the folio; the first error ends the loop and is returned. The bounds and alignment checks
 * come before, in the caller.
 */
public final class KvmGmemAllocatePath extends PcPath<KvmGmemAllocatePath.Pc> {
  enum Pc {
    INVALIDATE_LOCK,
    GET_FOLIO,
    UNLOCK,
    PUT,
    INVALIDATE_UNLOCK,
    DONE
  }

  private final GmemEnv env;
  private final Task task;
  private final int start;
  private final int end;
  private int index;
  private KvmGmemGetFolioPath get;
  private int err;

  public KvmGmemAllocatePath(GmemEnv env, Task task, int start, int nr) {
    this.env = env;
    this.task = task;
    this.start = start;
    this.end = start + nr;
  }

  @Override
  public String name() {
    return "kvm_gmem_allocate";
  }

  /** 0, or the error of kvm_gmem_get_folio() that ended the loop. */
  public int result() {
    return err;
  }

  @Override
  protected boolean begin(Ctx ctx) {
    err = 0;
    index = start;
    if (task.dead()) return finishAt(Pc.DONE);
    return request(ctx, Pc.INVALIDATE_LOCK, env.inode(), new GmemProtocol.InvalidateLock(false));
  }

  private boolean next(Ctx ctx) {
    if (index >= end) {
      return request(ctx, Pc.INVALIDATE_UNLOCK, env.inode(), new GmemProtocol.InvalidateUnlock(false));
    }
    get = new KvmGmemGetFolioPath(env, index);
    return callAt(ctx, Pc.GET_FOLIO, get);
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case INVALIDATE_LOCK -> {
        return next(ctx);
      }
      case GET_FOLIO -> {
        if (get.err != 0) {
          err = get.err;
          return request(ctx, Pc.INVALIDATE_UNLOCK, env.inode(), new GmemProtocol.InvalidateUnlock(false));
        }
        return request(ctx, Pc.UNLOCK, env.memoryFor(get.folio), new MemoryProtocol.FolioUnlock(get.folio));
      }
      case UNLOCK -> {
        return request(ctx, Pc.PUT, env.memoryFor(get.folio), new MemoryProtocol.FolioPut(get.folio, 1));
      }
      case PUT -> {
        // folio_next_index(): a large folio covers the indexes after this one.
        index = (index & ~((1 << get.order) - 1)) + (1 << get.order);
        return next(ctx);
      }
      case INVALIDATE_UNLOCK -> {
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  @Override
  protected String here() {
    return pc + " index " + index + (get != null && get.folio > 0 ? " folio " + hex(get.folio) : "");
  }
}
