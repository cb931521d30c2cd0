package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * memory_failure() (mm/memory-failure.c) of the frame that backs one guest_memfd index, a clean
 * page-cache folio: TestSetPageHWPoison(), get_hwpoison_page() (a reference), folio_lock(), then
 * me_pagecache_clean() -> truncate_error_folio() -> a_ops->error_remove_folio =
 * kvm_gmem_error_folio() (virt/kvm/guest_memfd.c): filemap_invalidate_lock_shared(),
 * kvm_gmem_invalidate_begin()/end() over the folio, unlock, MF_DELAYED (nothing truncated);
 * folio_unlock(), put. The lock order is folio lock, then invalidate_lock: the reverse of
 * kvm_gmem_populate() (race 15). With {@code gmem.error-folio = trylock} kvm_gmem_error_folio()
 * uses filemap_invalidate_trylock_shared() and gives up (MF_FAILED) when it is taken: a proposal,
 * not upstream code.
 *
 * <p>Which frame fails is the hardware's choice: the path reads the page cache to find the frame
 * backing the index (a ghost lookup standing for the machine check's address).
 */
public final class MemoryFailurePath extends PcPath<MemoryFailurePath.Pc> {
  enum Pc {
    WHICH_FRAME,
    SET_HWPOISON,
    GET,
    LOCK,
    INVALIDATE_LOCK,
    INVALIDATE_BEGIN,
    INVALIDATE_END,
    INVALIDATE_UNLOCK,
    UNLOCK,
    PUT,
    DONE
  }

  private final GmemEnv env;
  private final int index;
  private final boolean trylock;
  private int folio;
  private int order;
  private int pfn;

  public MemoryFailurePath(GmemEnv env, int index, boolean trylock) {
    this.env = env;
    this.index = index;
    this.trylock = trylock;
  }

  @Override
  public String name() {
    return "memory_failure";
  }

  private boolean mem(Ctx ctx, Pc next, MemoryProtocol.Request r) {
    return request(ctx, next, env.memoryFor(folio), r);
  }

  private int folioIndex() {
    return index & ~((1 << order) - 1);
  }

  @Override
  protected boolean begin(Ctx ctx) {
    return request(ctx, Pc.WHICH_FRAME, env.inode(), new GmemProtocol.FilemapGetEntry(index, false));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case WHICH_FRAME -> {
        if (r.value() < 0) {
          if (ctx.tracing()) ctx.note("index " + index + " has no frame yet: nothing fails");
          return finishAt(Pc.DONE);
        }
        folio = (int) r.value();
        order = (int) r.ghost();
        pfn = folio + (index - folioIndex());
        return request(ctx, Pc.SET_HWPOISON, env.memoryFor(pfn), new MemoryProtocol.TestSetPageHwPoison(pfn));
      }
      case SET_HWPOISON -> {
        return mem(ctx, Pc.GET, new MemoryProtocol.FolioTryGet(folio, 1));
      }
      case GET -> {
        if (r.value() == 0) return finishAt(Pc.DONE); // freed meanwhile: a free page, handled elsewhere
        return mem(ctx, Pc.LOCK, new MemoryProtocol.FolioLock(folio));
      }
      case LOCK -> {
        if (env.kvm() == null) return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(folio));
        if (trylock) return request(ctx, Pc.INVALIDATE_LOCK, env.inode(), new GmemProtocol.InvalidateTrylock(false));
        return request(ctx, Pc.INVALIDATE_LOCK, env.inode(), new GmemProtocol.InvalidateLock(false));
      }
      case INVALIDATE_LOCK -> {
        if (trylock && r.value() == 0) {
          if (ctx.tracing()) ctx.note("invalidate_lock taken: kvm_gmem_error_folio() returns MF_FAILED");
          return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(folio));
        }
        int s = folioIndex();
        int e = s + (1 << order);
        return callAt(ctx, Pc.INVALIDATE_BEGIN, new KvmGmemInvalidateBeginPath(env.kvm(), s, e, s, e, false));
      }
      case INVALIDATE_BEGIN -> {
        return callAt(ctx, Pc.INVALIDATE_END, KvmGmemInvalidateEndPath.of(env.kvm()));
      }
      case INVALIDATE_END -> {
        return request(ctx, Pc.INVALIDATE_UNLOCK, env.inode(), new GmemProtocol.InvalidateUnlock(false));
      }
      case INVALIDATE_UNLOCK -> {
        return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(folio));
      }
      case UNLOCK -> {
        return mem(ctx, Pc.PUT, new MemoryProtocol.FolioPut(folio, 1));
      }
      case PUT -> {
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  @Override
  protected String here() {
    return pc + " index " + index + (pfn == 0 ? "" : " pfn " + hex(pfn));
  }
}
