package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Msg;

/**
 * Requests to a guest_memfd inode: its page cache (an xarray from file index to folio, each step
 * one xa_lock critical section) and its invalidate_lock. Replies are {@code Ret}.
 */
public final class GmemProtocol {
  private GmemProtocol() {}

  public sealed interface Request extends Msg {
    void applyTo(GmemInode g, Ctx ctx);
  }

  /**
   * filemap_get_entry(): the folio (head pfn) at index, or -1; the reply's second field is the
   * order of the xarray entry (what xas_get_order() reads). {@code retry}: the lookup goes round
   * again because the folio it found could not be pinned (frozen by a split): a spin.
   */
  public record FilemapGetEntry(int index, boolean retry) implements Request {
    public FilemapGetEntry(int index) {
      this(index, false);
    }

    public String step() {
      return "filemap_get_entry";
    }

    @Override
    public boolean yields() {
      return retry;
    }

    public void applyTo(GmemInode g, Ctx ctx) {
      g.filemapGetEntry(this, ctx);
    }
  }

  /**
   * The xa_lock part of __folio_migrate_mapping(): the xarray slots of old now hold new (one
   * xas_store under xa_lock, so no lookup ever finds the range empty).
   */
  public record XaReplaceFolio(int index, int oldFolio, int newFolio, int nr) implements Request {
    public String step() {
      return "__folio_migrate_mapping: xas_store";
    }

    @Override
    public String describe() {
      return step() + "(index=" + index + ", " + hex(oldFolio) + " -> " + hex(newFolio) + ")";
    }

    public void applyTo(GmemInode g, Ctx ctx) {
      g.xaReplaceFolio(this, ctx);
    }
  }

  /**
   * The xa_lock part of __filemap_add_folio(): store the folio over its nr indexes from index,
   * or -EEXIST when any of them is taken.
   */
  public record XaStoreFolio(int index, int folio, int nr) implements Request {
    public String step() {
      return "__filemap_add_folio";
    }

    @Override
    public String describe() {
      return step() + "(index=" + index + ", folio=" + hex(folio) + ", nr=" + nr + ")";
    }

    public void applyTo(GmemInode g, Ctx ctx) {
      g.xaStoreFolio(this, ctx);
    }
  }

  /** page_cache_delete(): erase the folio's nr indexes from index. */
  public record PageCacheDelete(int index, int folio, int nr) implements Request {
    public String step() {
      return "page_cache_delete";
    }

    @Override
    public String describe() {
      return step() + "(index=" + index + ", folio=" + hex(folio) + ")";
    }

    public void applyTo(GmemInode g, Ctx ctx) {
      g.pageCacheDelete(this, ctx);
    }
  }

  /**
   * The xarray part of __split_unmapped_folio() (xas_split under xa_lock): each index of the
   * folio now points at the new folio of newOrder that contains it.
   */
  public record XaSplitFolio(int index, int folio, int order, int newOrder) implements Request {
    public String step() {
      return "xas_split";
    }

    @Override
    public String describe() {
      return step() + "(index=" + index + ", folio=" + hex(folio) + ", order " + order + " -> " + newOrder + ")";
    }

    public void applyTo(GmemInode g, Ctx ctx) {
      g.xaSplitFolio(this, ctx);
    }
  }

  /** filemap_invalidate_lock() (write) or filemap_invalidate_lock_shared(): returns once held. */
  /** filemap_invalidate_trylock_shared(): 1 when held, 0 if a writer holds or waits for it. */
  public record InvalidateTrylock(boolean write) implements Request {
    public String step() {
      return write ? "filemap_invalidate_trylock" : "filemap_invalidate_trylock_shared";
    }

    public void applyTo(GmemInode g, Ctx ctx) {
      g.invalidateTrylock(this, ctx);
    }
  }

  public record InvalidateLock(boolean write) implements Request {
    public String step() {
      return write ? "filemap_invalidate_lock" : "filemap_invalidate_lock_shared";
    }

    public void applyTo(GmemInode g, Ctx ctx) {
      g.invalidateLock(this, ctx);
    }
  }

  /** filemap_invalidate_unlock() / filemap_invalidate_unlock_shared(). */
  public record InvalidateUnlock(boolean write) implements Request {
    public String step() {
      return write ? "filemap_invalidate_unlock" : "filemap_invalidate_unlock_shared";
    }

    @Override
    public boolean releasesLock() {
      return true;
    }

    public void applyTo(GmemInode g, Ctx ctx) {
      g.invalidateUnlock(this, ctx);
    }
  }

  /**
   * get_file_active(): take a reference on the struct file unless its f_count already reached 0
   * (release is running or done). Returns 1 with the reference, 0 without.
   */
  public record GetFileActive() implements Request {
    public String step() {
      return "get_file_active";
    }

    public void applyTo(GmemInode g, Ctx ctx) {
      g.getFileActive(this, ctx);
    }
  }

  /** fput(): drop a file reference; returns the count left (0: the caller's __fput() releases it). */
  public record Fput() implements Request {
    public String step() {
      return "fput";
    }

    public void applyTo(GmemInode g, Ctx ctx) {
      g.fput(this, ctx);
    }
  }
}
