package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * kvm_gmem_get_folio() = __filemap_get_folio(FGP_LOCK | FGP_ACCESSED | FGP_CREAT) (§5): look the
 * index up; on a hit folio_try_get() (retry the lookup if it fails), folio_lock() and re-check
 * folio->mapping (truncated meanwhile: unlock, put, retry); on a miss allocate, lock the new folio
 * and filemap_add_folio() it: take the cache's references, set folio->mapping and store it under
 * xa_lock; -EEXIST undoes that and retries. Returns the folio locked with one reference, or an
 * error. In the filemap design the add first takes the folio out of the direct map (an error fails
 * the allocation), and an add that loses the race puts it back before the folio is freed.
 *
 * <p>Not modelled: the per-CPU LRU batch's temporary reference (no path here freezes gmem folios
 * while one could be pending), the mempolicy.
 */
public final class KvmGmemGetFolioPath extends PcPath<KvmGmemGetFolioPath.Pc> {
  enum Pc {
    LOOKUP,
    TRY_GET,
    RELOAD,
    LOCK,
    MAPPING,
    STALE_UNLOCK,
    STALE_PUT,
    ALLOC,
    NEW_LOCK,
    ZAP,
    REF_ADD,
    SET_MAPPING,
    XA_STORE,
    EEXIST_CLEAR_MAPPING,
    EEXIST_PUT_REFS,
    EEXIST_RESTORE,
    EEXIST_UNLOCK,
    EEXIST_PUT,
    ZAP_FAILED_UNLOCK,
    ZAP_FAILED_PUT,
    DONE
  }

  private final GmemEnv env;
  private final int index;
  private int candidate;
  private FolioZapDirectMapPath zap;
  /** The locked folio (head pfn) with the caller's reference, once done without error. */
  int folio;
  /** 0, or the error (then no folio is held). */
  int err;
  /** The order of the folio returned (what kvm_gmem_get_pfn() reports as max_order). */
  int order;
  private long gen;

  KvmGmemGetFolioPath(GmemEnv env, int index) {
    this.env = env;
    this.index = index;
  }

  @Override
  public String name() {
    return "kvm_gmem_get_folio";
  }

  /** The allocation generation of the folio returned (ghost: what its holder believes it pins). */
  long gen() {
    return gen;
  }

  /** The order being allocated: the file's, or 0 after a large add lost to a partly filled range. */
  private int allocOrder;

  private int allocPages() {
    return 1 << allocOrder;
  }

  private int folioIndex() {
    return index & ~(allocPages() - 1);
  }

  @Override
  protected boolean begin(Ctx ctx) {
    err = 0;
    folio = -1;
    return lookup(ctx);
  }

  private boolean lookup(Ctx ctx) {
    boolean retry = pc == Pc.TRY_GET;
    return request(ctx, Pc.LOOKUP, env.inode(), new GmemProtocol.FilemapGetEntry(index, retry));
  }

  private boolean mem(Ctx ctx, Pc next, MemoryProtocol.Request r) {
    return request(ctx, next, env.memoryFor(candidate), r);
  }

  private boolean alloc(Ctx ctx) {
    return request(ctx, Pc.ALLOC, env.topo().memoryRange(0), new MemoryProtocol.AllocPages(allocOrder, false));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case LOOKUP -> {
        if (r.value() < 0) {
          allocOrder = env.folioOrder();
          return alloc(ctx);
        }
        candidate = (int) r.value();
        order = (int) r.ghost();
        return mem(ctx, Pc.TRY_GET, new MemoryProtocol.FolioTryGet(candidate, 1));
      }
      case TRY_GET -> {
        if (r.value() == 0) return lookup(ctx);
        gen = r.ghost();
        // filemap_get_entry()'s xas_reload(): the folio may have been split or replaced between
        // the lookup and the get; only a folio still at the index is pinned for it.
        return request(ctx, Pc.RELOAD, env.inode(), new GmemProtocol.FilemapGetEntry(index));
      }
      case RELOAD -> {
        if (r.value() != candidate) {
          if (ctx.tracing()) ctx.note("index " + index + " no longer holds " + hex(candidate) + ": put and retry");
          return mem(ctx, Pc.STALE_PUT, new MemoryProtocol.FolioPut(candidate, 1));
        }
        order = (int) r.ghost();
        return mem(ctx, Pc.LOCK, new MemoryProtocol.FolioLock(candidate));
      }
      case LOCK -> {
        if (!env.mappingRecheck()) return found();
        return mem(ctx, Pc.MAPPING, new MemoryProtocol.FolioMapping(candidate, false, 0, 0));
      }
      case MAPPING -> {
        if (r.value() != env.inodeId()) {
          if (ctx.tracing()) ctx.note("folio " + hex(candidate) + " was truncated meanwhile: retry");
          return mem(ctx, Pc.STALE_UNLOCK, new MemoryProtocol.FolioUnlock(candidate));
        }
        return found();
      }
      case STALE_UNLOCK -> {
        return mem(ctx, Pc.STALE_PUT, new MemoryProtocol.FolioPut(candidate, 1));
      }
      case STALE_PUT -> {
        return lookup(ctx);
      }
      case ALLOC -> {
        if (r.value() < 0) {
          err = Errno.ENOMEM;
          return finishAt(Pc.DONE);
        }
        candidate = (int) r.value();
        gen = r.ghost();
        order = allocOrder;
        // __folio_set_locked() on a folio nobody else can see yet.
        return mem(ctx, Pc.NEW_LOCK, new MemoryProtocol.FolioLock(candidate));
      }
      case NEW_LOCK -> {
        zap = env.design().hooks().zapOnAdd(env, candidate, allocPages());
        if (zap != null) {
          pc = Pc.ZAP;
          return call(zap, ctx);
        }
        return mem(ctx, Pc.REF_ADD, new MemoryProtocol.FolioRefAdd(candidate, allocPages(), env.pageCache()));
      }
      case ZAP -> {
        if (zap.err != 0) {
          err = zap.err;
          return mem(ctx, Pc.ZAP_FAILED_UNLOCK, new MemoryProtocol.FolioUnlock(candidate));
        }
        return mem(ctx, Pc.REF_ADD, new MemoryProtocol.FolioRefAdd(candidate, allocPages(), env.pageCache()));
      }
      case REF_ADD -> {
        return mem(ctx, Pc.SET_MAPPING, new MemoryProtocol.FolioMapping(candidate, true, env.inodeId(), folioIndex()));
      }
      case SET_MAPPING -> {
        return request(ctx, Pc.XA_STORE, env.inode(), new GmemProtocol.XaStoreFolio(folioIndex(), candidate, allocPages()));
      }
      case XA_STORE -> {
        if (r.value() == 0) return found();
        return mem(ctx, Pc.EEXIST_CLEAR_MAPPING, new MemoryProtocol.FolioMapping(candidate, true, 0, 0));
      }
      case EEXIST_CLEAR_MAPPING -> {
        return mem(ctx, Pc.EEXIST_PUT_REFS, new MemoryProtocol.FolioPut(candidate, allocPages(), env.pageCache()));
      }
      case EEXIST_PUT_REFS -> {
        Path restore = env.design().hooks().restoreOnRemove(env, candidate, allocPages());
        if (restore != null) return callAt(ctx, Pc.EEXIST_RESTORE, restore);
        return mem(ctx, Pc.EEXIST_UNLOCK, new MemoryProtocol.FolioUnlock(candidate));
      }
      case EEXIST_RESTORE -> {
        return mem(ctx, Pc.EEXIST_UNLOCK, new MemoryProtocol.FolioUnlock(candidate));
      }
      case EEXIST_UNLOCK -> {
        return mem(ctx, Pc.EEXIST_PUT, new MemoryProtocol.FolioPut(candidate, 1));
      }
      case EEXIST_PUT -> {
        if (allocOrder > 0) {
          // __filemap_get_folio(): a large add that collides with pages already in the range
          // falls back to smaller orders down to 0 before looking the index up again.
          if (ctx.tracing()) ctx.note("order-" + allocOrder + " add collided: fall back to order 0");
          allocOrder = 0;
          return alloc(ctx);
        }
        return lookup(ctx);
      }
      case ZAP_FAILED_UNLOCK -> {
        return mem(ctx, Pc.ZAP_FAILED_PUT, new MemoryProtocol.FolioPut(candidate, 1));
      }
      case ZAP_FAILED_PUT -> {
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean found() {
    folio = candidate;
    return finishAt(Pc.DONE);
  }

  @Override
  protected String here() {
    return pc + " index " + index + (candidate != 0 ? " folio " + hex(candidate) : "");
  }
}
