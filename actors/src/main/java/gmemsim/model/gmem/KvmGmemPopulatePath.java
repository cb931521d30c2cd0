package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.KernelEvents;
import gmemsim.model.kvm.KvmProtocol;
import gmemsim.model.kvm.KvmTdpPageFaultPath;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.PageTag;
import gmemsim.model.mm.StructPages;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * KVM_TDX_INIT_MEM_REGION: kvm_gmem_populate() of file indexes [start, start + nr) with
 * tdx_gmem_post_populate() (§5): under slots_lock and filemap_invalidate_lock() (write) for the
 * whole loop, per page: the folio (locked, then unlocked, the reference kept), the PRIVATE
 * attribute check (-EINVAL), then kvm_tdp_map_page(), which faults the gfn in through
 * kvm_gmem_get_pfn() and TDH.MEM.PAGE.ADDs it with the source page's contents (the measured
 * image), then the folio is marked prepared and put. The GUP of the source page is not modelled.
 */
public final class KvmGmemPopulatePath extends PcPath<KvmGmemPopulatePath.Pc> {
  enum Pc {
    SLOTS_LOCK,
    INVALIDATE_LOCK,
    GET_FOLIO,
    FOLIO_UNLOCK,
    ATTRIBUTES,
    MAP_PAGE,
    PAGE_ADD_COPY,
    MARK_PREPARED,
    PUT,
    INVALIDATE_UNLOCK,
    SLOTS_UNLOCK,
    DONE
  }

  private final GmemEnv env;
  private final Task task;
  private final int start;
  private final int end;
  private int i;
  private int err;

  /** 0, or the error the ioctl returned. */
  public int result() {
    return err;
  }
  private KvmGmemGetFolioPath get;
  private KvmTdpPageFaultPath map;

  public KvmGmemPopulatePath(GmemEnv env, Task task, int start, int nr) {
    this.env = env;
    this.task = task;
    this.start = start;
    this.end = Math.min(env.sizePages(), start + nr);
  }

  @Override
  public String name() {
    return "kvm_gmem_populate";
  }

  private boolean kvm(Ctx ctx, Pc next, KvmProtocol.Request r) {
    return request(ctx, next, env.kvm().kvm(), r);
  }

  private boolean inode(Ctx ctx, Pc next, GmemProtocol.Request r) {
    return request(ctx, next, env.inode(), r);
  }

  private boolean mem(Ctx ctx, Pc next, MemoryProtocol.Request r) {
    return request(ctx, next, env.memoryFor(get.folio), r);
  }

  private int pfn() {
    return get.folio + (i & ((1 << get.order) - 1));
  }

  @Override
  protected boolean begin(Ctx ctx) {
    err = 0;
    i = start;
    return kvm(ctx, Pc.SLOTS_LOCK, new KvmProtocol.SlotsLock(true));
  }

  private boolean nextPage(Ctx ctx) {
    if (i >= end || err != 0) return inode(ctx, Pc.INVALIDATE_UNLOCK, new GmemProtocol.InvalidateUnlock(true));
    get = new KvmGmemGetFolioPath(env, i);
    return callAt(ctx, Pc.GET_FOLIO, get);
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case SLOTS_LOCK -> {
        return inode(ctx, Pc.INVALIDATE_LOCK, new GmemProtocol.InvalidateLock(true));
      }
      case INVALIDATE_LOCK -> {
        return nextPage(ctx);
      }
      case GET_FOLIO -> {
        if (get.err != 0) {
          err = get.err;
          return nextPage(ctx);
        }
        return mem(ctx, Pc.FOLIO_UNLOCK, new MemoryProtocol.FolioUnlock(get.folio));
      }
      case FOLIO_UNLOCK -> {
        return kvm(ctx, Pc.ATTRIBUTES, new KvmProtocol.KvmMemIsPrivate(env.kvm().gfn(i)));
      }
      case ATTRIBUTES -> {
        if (r.value() == 0) {
          err = Errno.EINVAL;
          return mem(ctx, Pc.PUT, new MemoryProtocol.FolioPut(get.folio, 1));
        }
        map = new KvmTdpPageFaultPath(env, task, i, true, true);
        return callAt(ctx, Pc.MAP_PAGE, map);
      }
      case MAP_PAGE -> {
        if (map.result == KvmTdpPageFaultPath.RETRY) {
          // kvm_tdp_map_page() loops while the fault says RET_PF_RETRY.
          return call(map, ctx);
        }
        if (map.result < 0) {
          err = map.result;
          return mem(ctx, Pc.PUT, new MemoryProtocol.FolioPut(get.folio, 1));
        }
        return request(ctx, Pc.PAGE_ADD_COPY, env.memoryFor(pfn()), new MemoryProtocol.TempMapWrite(pfn(), PageTag.guestPrivate(env.vm())));
      }
      case PAGE_ADD_COPY -> {
        return mem(ctx, Pc.MARK_PREPARED, new MemoryProtocol.FolioFlag(get.folio, StructPages.PG_UPTODATE, true));
      }
      case MARK_PREPARED -> {
        return mem(ctx, Pc.PUT, new MemoryProtocol.FolioPut(get.folio, 1));
      }
      case PUT -> {
        i++;
        return nextPage(ctx);
      }
      case INVALIDATE_UNLOCK -> {
        return kvm(ctx, Pc.SLOTS_UNLOCK, new KvmProtocol.SlotsLock(false));
      }
      case SLOTS_UNLOCK -> {
        // -EHWPOISON reports a hardware error on the page, not a broken interface.
        if (err != 0 && err != Errno.ENOMEM && err != Errno.EHWPOISON && !task.checked()) {
          ctx.emit(new KernelEvents.AbiFailure(task.name(), "KVM_TDX_INIT_MEM_REGION (index " + i + ")", err));
        }
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  @Override
  protected String here() {
    return pc + " index " + i + (get != null && get.folio > 0 ? " folio " + hex(get.folio) : "");
  }
}
