package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.Msg;
import gmemsim.model.lock.RwSem;
import gmemsim.model.prim.Call;
import gmemsim.model.prim.LockOwner;
import gmemsim.model.prim.Primitive;
import gmemsim.model.prim.Primitives;
import gmemsim.model.prim.Step;
import gmemsim.model.prim.Structs;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * A guest_memfd inode (kernel-model §5): the page cache of the file (index to folio head; a large
 * folio fills all its indexes, as a multi-index xarray entry does), its flags, and its
 * invalidate_lock, an rwsem whose waiters queue in order. Folio flags and folio->mapping live in
 * the struct pages, owned by the memory components.
 */
public final class GmemInode implements Component, LockOwner {
  /** GUEST_MEMFD_FLAG_MMAP. */
  public static final int FLAG_MMAP = 1;
  /** GUEST_MEMFD_FLAG_INIT_SHARED. */
  public static final int FLAG_INIT_SHARED = 2;
  /** GUEST_MEMFD_FLAG_NO_DIRECT_MAP (series only). */
  public static final int FLAG_NO_DIRECT_MAP = 4;

  private final String name;
  private final int id;
  private final int flags;
  private final int[] cache;
  /** The order of the xarray entry at each index (xa_get_order()). */
  private final byte[] order;
  private final RwSem invalidateLock;
  /** f_count of the one struct file (the VMM's fd); the file pins the inode. */
  private int fileCount = 1;

  /** @param id the value folio->mapping holds for folios of this inode (never 0) */
  public GmemInode(String name, int id, int sizePages, int flags) {
    if (id == 0) throw new IllegalArgumentException("inode id 0 is NULL");
    this.name = name;
    this.id = id;
    this.flags = flags;
    this.cache = new int[sizePages];
    this.order = new byte[sizePages];
    java.util.Arrays.fill(cache, -1);
    this.invalidateLock = new RwSem(name + " invalidate_lock");
  }

  @Override
  public java.util.List<String> ghost(
      java.util.Set<Integer> pfns, java.util.function.IntFunction<String> names) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < cache.length; i++) {
      if (cache[i] >= 0 && pfns.contains(cache[i])) {
        out.add("filemap index " + i + " -> folio " + hex(cache[i]) + " (order " + order[i] + ")");
      }
    }
    return out;
  }

  @Override
  public String name() {
    return name;
  }

  public int id() {
    return id;
  }

  public int flags() {
    return flags;
  }

  public int sizePages() {
    return cache.length;
  }

  /** The folio at index, or -1 (for tests and end-of-run checks). */
  public int folioAt(int index) {
    return cache[index];
  }

  @Override
  public void onMessage(Msg m, Ctx ctx) {
    if (m instanceof Step st) {
      Primitives.handle(this, st, ctx);
      return;
    }
    if (!(m instanceof GmemProtocol.Request r)) {
      throw new IllegalArgumentException(name + " cannot handle " + m.step());
    }
    r.applyTo(this, ctx);
  }

  void filemapGetEntry(GmemProtocol.FilemapGetEntry r, Ctx ctx) {
    int f = r.index() < cache.length ? cache[r.index()] : -1;
    if (ctx.tracing()) ctx.note(f < 0 ? "index " + r.index() + " empty" : "index " + r.index() + ": folio " + hex(f));
    ctx.reply(new Ret(f, f < 0 ? 0 : order[r.index()]));
  }

  void xaStoreFolio(GmemProtocol.XaStoreFolio r, Ctx ctx) {
    for (int i = r.index(); i < r.index() + r.nr(); i++) {
      if (cache[i] >= 0) {
        if (ctx.tracing()) ctx.note("index " + i + " already holds " + hex(cache[i]) + ": -EEXIST");
        ctx.reply(Ret.of(Errno.EEXIST));
        return;
      }
    }
    byte o = (byte) Integer.numberOfTrailingZeros(r.nr());
    for (int i = r.index(); i < r.index() + r.nr(); i++) {
      cache[i] = r.folio();
      order[i] = o;
    }
    if (ctx.tracing()) ctx.note("folio " + hex(r.folio()) + " now visible at index " + r.index());
    ctx.reply(Ret.of(0));
  }

  void xaReplaceFolio(GmemProtocol.XaReplaceFolio r, Ctx ctx) {
    for (int i = r.index(); i < r.index() + r.nr(); i++) {
      if (cache[i] != r.oldFolio()) {
        throw new IllegalStateException("migration of " + hex(r.oldFolio()) + " at index " + i + " which holds " + hex(cache[i]));
      }
      cache[i] = r.newFolio();
    }
    if (ctx.tracing()) ctx.note("index " + r.index() + " now holds " + hex(r.newFolio()));
    ctx.reply(Ret.of(0));
  }

  void pageCacheDelete(GmemProtocol.PageCacheDelete r, Ctx ctx) {
    for (int i = r.index(); i < r.index() + r.nr(); i++) {
      if (cache[i] != r.folio()) {
        throw new IllegalStateException("page_cache_delete of " + hex(r.folio()) + " at index " + i
            + " which holds " + hex(cache[i]));
      }
      cache[i] = -1;
    }
    if (ctx.tracing()) ctx.note("folio " + hex(r.folio()) + " gone from the page cache");
    ctx.reply(Ret.of(0));
  }

  void xaSplitFolio(GmemProtocol.XaSplitFolio r, Ctx ctx) {
    int step = 1 << r.newOrder();
    for (int i = 0; i < (1 << r.order()); i++) {
      cache[r.index() + i] = r.folio() + (i / step) * step;
      order[r.index() + i] = (byte) r.newOrder();
    }
    if (ctx.tracing()) ctx.note((1 << (r.order() - r.newOrder())) + " entries of order " + r.newOrder());
    ctx.reply(Ret.of(0));
  }

  void invalidateTrylock(GmemProtocol.InvalidateTrylock r, Ctx ctx) {
    invalidateLock.tryAcquire(r.write(), ctx);
  }

  void invalidateLock(GmemProtocol.InvalidateLock r, Ctx ctx) {
    invalidateLock.acquire(r.write(), ctx);
  }

  void invalidateUnlock(GmemProtocol.InvalidateUnlock r, Ctx ctx) {
    invalidateLock.release(r.write(), ctx);
  }

  void getFileActive(GmemProtocol.GetFileActive r, Ctx ctx) {
    boolean ok = fileCount > 0;
    if (ok) fileCount++;
    if (ctx.tracing()) ctx.note(ok ? "f_count " + fileCount : "f_count 0: the file is being released");
    ctx.reply(Ret.of(ok ? 1 : 0));
  }

  void fput(GmemProtocol.Fput r, Ctx ctx) {
    if (fileCount <= 0) throw new IllegalStateException("fput of " + name + " with f_count " + fileCount);
    fileCount--;
    if (ctx.tracing()) ctx.note(fileCount == 0 ? "f_count 0: __fput() runs kvm_gmem_release()" : "f_count " + fileCount);
    ctx.reply(Ret.of(fileCount));
  }

  private static final int INVALIDATE_LOCK = Structs.id("address_space", "invalidate_lock");

  @Override
  public RwSem lock(int field) {
    if (field != INVALIDATE_LOCK) throw new IllegalStateException(name() + " has no lock " + Structs.fieldPath(field));
    return invalidateLock;
  }

  @Primitive(value = "filemap_get_entry", args = {"mapping", "index", "*order"}, ret = "struct folio *", objects = "index",
      doc = "filemap_get_entry(): the folio at index, or NULL; order receives the xarray entry's order (xas_get_order());"
          + " one xa_lock-free RCU lookup (mm/filemap.c)")
  long filemapGetEntryStep(Call c) {
    int index = (int) c.arg(1);
    int f = index < cache.length ? cache[index] : -1;
    if (c.ctx().tracing()) c.ctx().note(f < 0 ? "index " + index + " empty" : "index " + index + ": folio " + hex(f));
    c.ghost(f < 0 ? 0 : order[index]);
    return f < 0 ? 0 : f;
  }

  @Primitive(value = "__filemap_add_folio_xa", args = {"mapping", "folio", "index", "nr"}, ret = "int", objects = "index",
      doc = "the xa_lock section of __filemap_add_folio(): store folio over its nr indexes, or -EEXIST when one is taken"
          + " (mm/filemap.c)")
  long xaStoreFolioStep(Call c) {
    xaStoreFolio(new GmemProtocol.XaStoreFolio((int) c.arg(2), c.pfn(1), (int) c.arg(3)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "__folio_migrate_mapping_xa", args = {"mapping", "index", "folio", "newfolio", "nr"}, ret = "int",
      objects = "index",
      doc = "the xa_lock part of __folio_migrate_mapping(): the slots of folio now hold newfolio, one xas_store (mm/migrate.c)")
  long xaReplaceFolioStep(Call c) {
    xaReplaceFolio(new GmemProtocol.XaReplaceFolio((int) c.arg(1), c.pfn(2), c.pfn(3), (int) c.arg(4)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "page_cache_delete", args = {"mapping", "folio", "index", "nr"}, ret = "void", objects = "index",
      doc = "page_cache_delete() under xa_lock: erase the folio's nr indexes (mm/filemap.c)")
  long pageCacheDeleteStep(Call c) {
    pageCacheDelete(new GmemProtocol.PageCacheDelete((int) c.arg(2), c.pfn(1), (int) c.arg(3)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "xas_split", args = {"mapping", "folio", "index", "order", "new_order"}, ret = "void", objects = "index",
      doc = "the xarray part of __split_unmapped_folio() under xa_lock: each index of the folio now points at the new"
          + " folio of new_order that holds it (lib/xarray.c)")
  long xasSplitStep(Call c) {
    xaSplitFolio(new GmemProtocol.XaSplitFolio((int) c.arg(2), c.pfn(1), (int) c.arg(3), (int) c.arg(4)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "get_file_active", args = "file", ret = "bool", decides = {"got", "released"},
      doc = "get_file_active(): a reference on the struct file unless f_count already reached 0 (fs/file.c)")
  long getFileActiveStep(Call c) {
    getFileActive(new GmemProtocol.GetFileActive(), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "fput_count", args = "file", ret = "long",
      doc = "fput()'s decrement of f_count: the count left (0: the caller's __fput() releases the file; fs/file_table.c)")
  long fputStep(Call c) {
    fput(new GmemProtocol.Fput(), c.ctx());
    return Call.LATER;
  }
}
