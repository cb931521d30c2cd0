package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.PageTag;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * fallocate(PUNCH_HOLE | KEEP_SIZE) on a guest_memfd (kvm_gmem_punch_hole(), §5), or the final
 * truncation when the file is released: under filemap_invalidate_lock(),
 * truncate_inode_pages_range() over [start, start + nr): for each folio found, take a reference
 * and the folio lock, re-check folio->mapping; a large folio that sticks out of the range is split
 * (truncate_inode_partial_folio(); guest_memfd's mapping is inaccessible, so nothing is zeroed;
 * if the split fails the whole folio goes); a folio inside the range leaves the page cache through
 * filemap_remove_folio(): page_cache_delete(), folio->mapping = NULL, the filemap design's
 * restore, then filemap_free_folio(): -&gt;free_folio() and the cache's references; then unlock and
 * put.
 *
 * <p>When the file is bound to a VM, the truncation is bracketed by kvm_gmem_invalidate_begin()
 * (with the TDX huge-page split first when {@code tdx.split-before-zap} is on; a failed split
 * bails out before anything changed) and kvm_gmem_invalidate_end(). The invalidation covers
 * {@code gmem.invalidate-range} (exact, or rounded out to the file's folio size) and the
 * truncation {@code gmem.truncate-range}: exact splits each boundary folio (a failed split leaves
 * the folio whole and the call returns -EAGAIN), folio-rounded takes every folio that overlaps
 * the range out whole, zero-partial (the hugetlb series) zeroes the covered part of a boundary
 * folio in place through the direct map and leaves the folio in the cache. -ENOMEM and -EAGAIN are transient: userspace calls again, up to three
 * times. With no VM bound, a boundary folio whose split fails goes whole, as
 * truncate_inode_partial_folio() does with a clean folio.
 *
 * <p>Not modelled: the lookup sleeps on the folio lock where find_lock_entries() would skip a
 * locked folio and come back.
 */
public final class KvmGmemPunchHolePath extends PcPath<KvmGmemPunchHolePath.Pc> {
  enum Pc {
    INVALIDATE_LOCK,
    INVALIDATE_BEGIN,
    INVALIDATE_END,
    LOOKUP,
    TRY_GET,
    LOCK,
    MAPPING,
    STALE_UNLOCK,
    STALE_PUT,
    SPLIT,
    SPLIT_UNLOCK,
    SPLIT_PUT,
    ZERO,
    PAGE_CACHE_DELETE,
    CLEAR_MAPPING,
    FILEMAP_RESTORE,
    FREE_FOLIO,
    PUT_CACHE_REFS,
    UNLOCK,
    PUT,
    INVALIDATE_UNLOCK,
    DONE
  }

  private final GmemEnv env;
  private final Task task;
  private final int start;
  private final int end;
  private final boolean release;
  private int i;
  private int folio;
  private int order;
  private gmemsim.model.exec.SourcePath split;
  private KvmGmemInvalidateBeginPath invalidate;
  private TdxPunchHoleInvalidateBeginPath tdxInvalidate;
  private KmapWritePath zero;
  private int attempt;
  /** 0, or the error of the last attempt. */
  private int err;

  /** @param release the final truncation of kvm_gmem_release(): runs even if the VMM died */
  public KvmGmemPunchHolePath(GmemEnv env, Task task, int start, int nr, boolean release) {
    this.env = env;
    this.task = task;
    this.start = start;
    this.end = Math.min(env.sizePages(), start + nr);
    this.release = release;
  }

  @Override
  public String name() {
    return release ? "kvm_gmem_release" : "kvm_gmem_punch_hole";
  }

  /** The result userspace sees: 0 or a negative errno. */
  public int result() {
    return err;
  }

  private boolean bound() {
    return env.kvm() != null && !release;
  }

  @Override
  protected boolean begin(Ctx ctx) {
    attempt = 0;
    return attempt(ctx);
  }

  private boolean attempt(Ctx ctx) {
    if (task.dead() && !release) {
      return finishAt(Pc.DONE);
    }
    attempt++;
    err = 0;
    return request(ctx, Pc.INVALIDATE_LOCK, env.inode(), new GmemProtocol.InvalidateLock(true));
  }

  private boolean lookup(Ctx ctx) {
    if (i >= end) return invalidateEnd(ctx);
    boolean retry = pc == Pc.TRY_GET;
    return request(ctx, Pc.LOOKUP, env.inode(), new GmemProtocol.FilemapGetEntry(i, retry));
  }

  private boolean mem(Ctx ctx, Pc next, MemoryProtocol.Request r) {
    return request(ctx, next, env.memoryFor(folio), r);
  }

  private int folioIndex() {
    return i & ~((1 << order) - 1);
  }

  private int nr() {
    return 1 << order;
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case INVALIDATE_LOCK -> {
        i = start;
        if (!bound()) return lookup(ctx);
        int nr = env.nrPages();
        boolean exact = env.kvm().design().invalidateExact();
        int s = exact ? start : start & ~(nr - 1);
        int e = exact ? end : Math.min(env.sizePages(), (end + nr - 1) & ~(nr - 1));
        pc = Pc.INVALIDATE_BEGIN;
        if (env.kvm().tdx() && env.kvm().design().splitBeforeZap()) {
          tdxInvalidate = new TdxPunchHoleInvalidateBeginPath(env.kvm(), env.kvm().design().punchHoleSplit(), s, e, start, end);
          return call(tdxInvalidate, ctx);
        }
        tdxInvalidate = null;
        invalidate = new KvmGmemInvalidateBeginPath(env.kvm(), s, e, start, end, false);
        return call(invalidate, ctx);
      }
      case INVALIDATE_BEGIN -> {
        int splitErr = tdxInvalidate != null ? tdxInvalidate.err : invalidate.err;
        if (splitErr != 0) {
          // The split failed: bail out before the zap, nothing changed.
          err = splitErr;
          if (tdxInvalidate != null && tdxInvalidate.ended) {
            return request(ctx, Pc.INVALIDATE_UNLOCK, env.inode(), new GmemProtocol.InvalidateUnlock(true));
          }
          return invalidateEnd(ctx);
        }
        return lookup(ctx);
      }
      case INVALIDATE_END -> {
        return request(ctx, Pc.INVALIDATE_UNLOCK, env.inode(), new GmemProtocol.InvalidateUnlock(true));
      }
      case LOOKUP -> {
        if (r.value() < 0) {
          i++;
          return lookup(ctx);
        }
        folio = (int) r.value();
        order = (int) r.ghost();
        return mem(ctx, Pc.TRY_GET, new MemoryProtocol.FolioTryGet(folio, 1));
      }
      case TRY_GET -> {
        if (r.value() == 0) return lookup(ctx);
        return mem(ctx, Pc.LOCK, new MemoryProtocol.FolioLock(folio));
      }
      case LOCK -> {
        return mem(ctx, Pc.MAPPING, new MemoryProtocol.FolioMapping(folio, false, 0, 0));
      }
      case MAPPING -> {
        if (r.value() != env.inodeId()) return mem(ctx, Pc.STALE_UNLOCK, new MemoryProtocol.FolioUnlock(folio));
        boolean partial = folioIndex() < start || folioIndex() + nr() > end;
        if (partial && env.truncateRange() == TruncateRange.ZERO_PARTIAL) {
          // kvm_gmem_zero_range(): folio_zero_segment() of the covered part, in place.
          int from = Math.max(start, folioIndex());
          int to = Math.min(end, folioIndex() + nr());
          zero = new KmapWritePath("folio_zero_segment", env, folio + (from - folioIndex()), to - from, PageTag.NONE, true);
          return callAt(ctx, Pc.ZERO, zero);
        }
        if (partial && env.truncateRange() == TruncateRange.FOLIO_ROUNDED) {
          // folio-rounded: the whole folio goes, pages outside the range with it.
          return request(ctx, Pc.PAGE_CACHE_DELETE, env.inode(), new GmemProtocol.PageCacheDelete(folioIndex(), folio, nr()));
        }
        if (partial) {
          // truncate_inode_partial_folio(): split, then the loop comes back for the pieces.
          pc = Pc.SPLIT;
          split = new gmemsim.model.exec.SourcePath(env.kernel(), "split_folio", folio, gmemsim.model.prim.Handles.of(env.inode()), 0, 0);
          return call(split, ctx);
        }
        return request(ctx, Pc.PAGE_CACHE_DELETE, env.inode(), new GmemProtocol.PageCacheDelete(folioIndex(), folio, nr()));
      }
      case ZERO -> {
        if (zero.oops) {
          // The oops kills the task with the folio lock and invalidate_lock held.
          task.kill();
          return finishAt(Pc.DONE);
        }
        // The folio stays in the page cache, whole: unlock, put, go on after it.
        return mem(ctx, Pc.SPLIT_UNLOCK, new MemoryProtocol.FolioUnlock(folio));
      }
      case STALE_UNLOCK -> {
        return mem(ctx, Pc.STALE_PUT, new MemoryProtocol.FolioPut(folio, 1));
      }
      case STALE_PUT -> {
        return lookup(ctx);
      }
      case SPLIT -> {
        boolean didSplit = split.intResult() == 0;
        if (!didSplit && bound()) {
          // The huge-page series: the folio stays whole, userspace is told to try again.
          if (ctx.tracing()) ctx.note("folio " + hex(folio) + " could not be split: -EAGAIN");
          err = Errno.EAGAIN;
          i = folioIndex() + nr();
          return mem(ctx, Pc.SPLIT_UNLOCK, new MemoryProtocol.FolioUnlock(folio));
        }
        if (!didSplit) {
          // Not dirty: truncate_inode_folio() takes the whole folio out.
          return request(ctx, Pc.PAGE_CACHE_DELETE, env.inode(), new GmemProtocol.PageCacheDelete(folioIndex(), folio, nr()));
        }
        return mem(ctx, Pc.SPLIT_UNLOCK, new MemoryProtocol.FolioUnlock(folio));
      }
      case SPLIT_UNLOCK -> {
        return mem(ctx, Pc.SPLIT_PUT, new MemoryProtocol.FolioPut(folio, 1));
      }
      case SPLIT_PUT -> {
        if (zero != null) {
          zero = null;
          i = folioIndex() + nr();
        }
        return lookup(ctx);
      }
      case PAGE_CACHE_DELETE -> {
        return mem(ctx, Pc.CLEAR_MAPPING, new MemoryProtocol.FolioMapping(folio, true, 0, 0));
      }
      case CLEAR_MAPPING -> {
        Path restore = env.design().hooks().restoreOnRemove(env, folio, nr());
        if (restore != null) return callAt(ctx, Pc.FILEMAP_RESTORE, restore);
        return freeFolio(ctx);
      }
      case FILEMAP_RESTORE -> {
        return freeFolio(ctx);
      }
      case FREE_FOLIO -> {
        return mem(ctx, Pc.PUT_CACHE_REFS, new MemoryProtocol.FolioPut(folio, nr(), env.pageCache()));
      }
      case PUT_CACHE_REFS -> {
        return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(folio));
      }
      case UNLOCK -> {
        return mem(ctx, Pc.PUT, new MemoryProtocol.FolioPut(folio, 1));
      }
      case PUT -> {
        i = folioIndex() + nr();
        return lookup(ctx);
      }
      case INVALIDATE_UNLOCK -> {
        if ((err == Errno.ENOMEM || err == Errno.EAGAIN) && attempt < GmemFolioPath.ATTEMPTS) {
          if (ctx.tracing()) ctx.note("fallocate: " + Errno.name(err) + ", userspace calls again");
          return attempt(ctx);
        }
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean invalidateEnd(Ctx ctx) {
    if (!bound()) {
      return request(ctx, Pc.INVALIDATE_UNLOCK, env.inode(), new GmemProtocol.InvalidateUnlock(true));
    }
    return callAt(ctx, Pc.INVALIDATE_END, KvmGmemInvalidateEndPath.of(env.kvm()));
  }

  /** filemap_free_folio(): the -&gt;free_folio callback of the designs that have one. */
  private boolean freeFolio(Ctx ctx) {
    pc = Pc.FREE_FOLIO;
    Path p = env.design().hooks().freeFolio(env, folio, nr());
    if (p != null) return call(p, ctx);
    return step(null, ctx);
  }

  @Override
  protected String here() {
    return pc + " index " + i + (folio > 0 ? " folio " + hex(folio) : "");
  }
}
