package gmemsim.model.gmem;

import gmemsim.model.Ctx;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.PageTag;
import gmemsim.model.mm.StructPages;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * KVM writing a no-direct-map guest_memfd page for itself (kvm_write_guest_page() on a gfn backed
 * by guest_memfd) through a temporary restore of the direct map, as the 2024 RFC (Roy) proposed:
 * kvm_gmem_get_folio(); if the folio is out of the direct map (its no-direct-map bit),
 * set_direct_map_default_noflush() (map), the store through the direct map,
 * set_direct_map_invalid_noflush() and flush_tlb_kernel_range() (unmap); put. A folio still in the
 * direct map is written as it is. The RFC's rule was
 * that such users hold the folio lock across map, access and unmap ({@code gmem.temp-restore =
 * folio-lock}); without it (unlocked) two users of one page nest: map(A), map(B), store(A),
 * unmap(A), store(B), and B stores through an invalid entry (race 12).
 */
public final class KvmTempRestoreWritePath extends PcPath<KvmTempRestoreWritePath.Pc> {
  enum Pc {
    GET_FOLIO,
    TEST_ZAPPED,
    UNLOCK_EARLY,
    MAP,
    STORE,
    UNMAP,
    FLUSH,
    UNLOCK,
    PUT,
    DONE
  }

  private final GmemEnv env;
  private final Task task;
  private final int index;
  private final boolean holdLock;
  private KvmGmemGetFolioPath get;
  private SourcePath store;
  private int pfn;
  private boolean zapped;

  public KvmTempRestoreWritePath(GmemEnv env, Task task, int index, boolean holdLock) {
    this.env = env;
    this.task = task;
    this.index = index;
    this.holdLock = holdLock;
  }

  @Override
  public String name() {
    return "kvm_write_guest_page (temporary direct-map restore)";
  }

  private boolean mem(Ctx ctx, Pc next, MemoryProtocol.Request r) {
    return request(ctx, next, env.memoryFor(get.folio), r);
  }

  @Override
  protected boolean begin(Ctx ctx) {
    get = new KvmGmemGetFolioPath(env, index);
    return callAt(ctx, Pc.GET_FOLIO, get);
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case GET_FOLIO -> {
        if (get.err != 0) return finishAt(Pc.DONE);
        pfn = get.folio + (index - (index & ~((1 << get.order) - 1)));
        // Only a folio out of the direct map needs the temporary restore (and the re-zap after).
        return mem(ctx, Pc.TEST_ZAPPED, new MemoryProtocol.FolioFlag(get.folio, StructPages.FOLIO_PRIVATE_NO_DIRECT_MAP, null));
      }
      case TEST_ZAPPED -> {
        zapped = r.value() != 0;
        if (holdLock) return zapped ? map(ctx) : store(ctx);
        return mem(ctx, Pc.UNLOCK_EARLY, new MemoryProtocol.FolioUnlock(get.folio));
      }
      case UNLOCK_EARLY -> {
        return zapped ? map(ctx) : store(ctx);
      }
      case MAP -> {
        return store(ctx);
      }
      case STORE -> {
        if (store.killed()) {
          task.kill();
          return finishAt(Pc.DONE);
        }
        if (!zapped) return afterUnmap(ctx);
        return callAt(ctx, Pc.UNMAP, SetDirectMapCall.validNoflush(env, pfn, 1, false));
      }
      case UNMAP -> {
        long va = GmemEnv.folioAddress(pfn);
        return callAt(ctx, Pc.FLUSH, SetDirectMapCall.flush(env, va, va + 4096));
      }
      case FLUSH -> {
        return afterUnmap(ctx);
      }
      case UNLOCK -> {
        return mem(ctx, Pc.PUT, new MemoryProtocol.FolioPut(get.folio, 1));
      }
      case PUT -> {
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean store(Ctx ctx) {
    store = KmapWritePath.store(env, "kvm_write_guest_page", pfn, PageTag.guestPrivate(env.vm()));
    return callAt(ctx, Pc.STORE, store);
  }

  private boolean afterUnmap(Ctx ctx) {
    if (holdLock) return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(get.folio));
    return mem(ctx, Pc.PUT, new MemoryProtocol.FolioPut(get.folio, 1));
  }

  private boolean map(Ctx ctx) {
    return callAt(ctx, Pc.MAP, SetDirectMapCall.validNoflush(env, pfn, 1, true));
  }

  @Override
  protected String here() {
    return pc + " index " + index;
  }
}
