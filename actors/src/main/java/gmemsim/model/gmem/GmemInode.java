package gmemsim.model.gmem;

import gmemsim.model.prim.StateOwner;
import static gmemsim.model.Describe.hex;

import gmemsim.model.Errno;
import gmemsim.model.lock.RwSem;
import gmemsim.model.prim.Call;
import gmemsim.model.prim.LockOwner;
import gmemsim.model.prim.Primitive;
import gmemsim.model.prim.Structs;

/**
 * A guest_memfd inode (kernel-model §5): the page cache of the file (index to folio head; a large
 * folio fills all its indexes, as a multi-index xarray entry does), its flags, and its
 * invalidate_lock, an rwsem whose waiters queue in order. Folio flags and folio->mapping live in
 * the struct pages, owned by the memory components.
 */
public final class GmemInode implements gmemsim.model.prim.KernelObject, LockOwner {
  /** GUEST_MEMFD_FLAG_MMAP. */
  public static final int FLAG_MMAP = 1;
  /** GUEST_MEMFD_FLAG_INIT_SHARED. */
  public static final int FLAG_INIT_SHARED = 2;
  /** GUEST_MEMFD_FLAG_NO_DIRECT_MAP (series only). */
  public static final int FLAG_NO_DIRECT_MAP = 4;
  /** GUEST_MEMFD_FLAG_WRITE (the write() series; bit 3 as in the tree that combines it with NO_DIRECT_MAP). */
  public static final int FLAG_WRITE = 8;

  private final String name;
  private final int id;
  private final int flags;
  private final int[] cache;
  /** The order of the xarray entry at each index (xa_get_order()). */
  private final byte[] order;
  private final RwSem invalidateLock;
  /** f_count of the one struct file (the VMM's fd); the file pins the inode. */
  private int fileCount = 1;
  /** The last reference was put (f_ref in file_ref's dead zone): no get revives the file. */
  private boolean released;
  /** __fput() ended in file_free(): the struct file and the inode are freed memory. */
  private boolean freed;
  /**
   * The VM of the one gmem_file on GMEM_I(inode)->gmem_file_list (its f->kvm), 0 when no VM is
   * bound or once kvm_gmem_release() took the file off the list.
   */
  private long fileKvm;

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

  private static final int INVALIDATE_LOCK = Structs.id("address_space", "invalidate_lock");

  @Override
  public java.util.List<RwSem> locks() {
    return java.util.List.of(invalidateLock);
  }

  @Override
  public RwSem lock(int field) {
    if (field != INVALIDATE_LOCK) throw new IllegalStateException(name() + " has no lock " + Structs.fieldPath(field));
    return invalidateLock;
  }

  @Primitive(value = "xas_load", args = {"mapping", "index"}, ret = "struct folio *", objects = "index",
      doc = "xas_load() of the page cache at index under rcu_read_lock(): the folio there (a large one at each of its"
          + " indexes), or NULL; one lock-free walk (lib/xarray.c)")
  long xasLoadStep(Call c) {
    int index = (int) c.arg(1);
    int f = index < cache.length ? cache[index] : -1;
    if (c.ctx().tracing()) c.ctx().note(f < 0 ? "index " + index + " empty" : "index " + index + ": folio " + hex(f));
    return f < 0 ? 0 : f;
  }

  @Primitive(value = "__gmem_frame_at", args = {"mapping", "index"}, ret = "struct folio *", objects = "index",
      outsideKernel = true,
      doc = "model: the folio the page cache holds at index, or NULL, read as xas_load() reads it, standing for a choice"
          + " outside the kernel (the frame a machine check hits, the pfn the compaction scanner reaches); it uses no"
          + " kernel object, so it may run after the file was freed")
  long gmemFrameAtStep(Call c) {
    return xasLoadStep(c);
  }

  @Primitive(value = "__filemap_add_folio_xa", args = {"mapping", "folio", "index", "nr"}, ret = "int", objects = "index",
      doc = "the xa_lock section of __filemap_add_folio(): store folio over its nr indexes, or -EEXIST when one is taken"
          + " (mm/filemap.c)")
  long xaStoreFolioStep(Call c) {
    int index = (int) c.arg(2);
    int folio = c.pfn(1);
    int nr = (int) c.arg(3);
    for (int i = index; i < index + nr; i++) {
      if (cache[i] >= 0) {
        if (c.ctx().tracing()) c.ctx().note("index " + i + " already holds " + hex(cache[i]) + ": -EEXIST");
        return Errno.EEXIST;
      }
    }
    byte o = (byte) Integer.numberOfTrailingZeros(nr);
    for (int i = index; i < index + nr; i++) {
      cache[i] = folio;
      order[i] = o;
    }
    if (c.ctx().tracing()) c.ctx().note("folio " + hex(folio) + " now visible at index " + index);
    return 0;
  }

  @Primitive(value = "__folio_migrate_mapping_xa", args = {"mapping", "index", "folio", "newfolio", "nr"}, ret = "int",
      objects = "index",
      doc = "the xa_lock part of __folio_migrate_mapping(): the slots of folio now hold newfolio, one xas_store (mm/migrate.c)")
  long xaReplaceFolioStep(Call c) {
    int index = (int) c.arg(1);
    int old = c.pfn(2);
    int folio = c.pfn(3);
    for (int i = index; i < index + (int) c.arg(4); i++) {
      if (cache[i] != old) throw new IllegalStateException("migration of " + hex(old) + " at index " + i + " which holds " + hex(cache[i]));
      cache[i] = folio;
    }
    if (c.ctx().tracing()) c.ctx().note("index " + index + " now holds " + hex(folio));
    return 0;
  }

  @Primitive(value = "__page_cache_delete_xa", args = {"mapping", "folio", "index", "nr"}, ret = "void", objects = "index",
      doc = "the xarray part of page_cache_delete() under xa_lock: the folio's nr indexes erased (mm/filemap.c)")
  long pageCacheDeleteStep(Call c) {
    int index = (int) c.arg(2);
    int folio = c.pfn(1);
    for (int i = index; i < index + (int) c.arg(3); i++) {
      if (cache[i] != folio) {
        throw new IllegalStateException("page_cache_delete of " + hex(folio) + " at index " + i + " which holds " + hex(cache[i]));
      }
      cache[i] = -1;
    }
    if (c.ctx().tracing()) c.ctx().note("folio " + hex(folio) + " gone from the page cache");
    return 0;
  }

  @Primitive(value = "xas_split", args = {"mapping", "folio", "index", "order", "new_order"}, ret = "void", objects = "index",
      doc = "the xarray part of __split_unmapped_folio() under xa_lock: each index of the folio now points at the new"
          + " folio of new_order that holds it (lib/xarray.c)")
  long xasSplitStep(Call c) {
    int index = (int) c.arg(2);
    int folio = c.pfn(1);
    int newOrder = (int) c.arg(4);
    int step = 1 << newOrder;
    int nr = 1 << (int) c.arg(3);
    for (int i = 0; i < nr; i++) {
      cache[index + i] = folio + (i / step) * step;
      order[index + i] = (byte) newOrder;
    }
    if (c.ctx().tracing()) c.ctx().note((nr / step) + " entries of order " + newOrder);
    return 0;
  }

  @Override
  public boolean freed() {
    return freed;
  }

  @Override
  public String objectName() {
    return "struct file " + name + " (and its inode)";
  }

  @Primitive(value = "file_ref_fetch_inc", args = "file", ret = "long",
      doc = "file_ref_inc()'s atomic_long_fetch_inc_relaxed() of f_ref (include/linux/file_ref.h): the count before, as"
          + " file_ref encodes it (references - 1; negative once the last reference was put: the increment lands in the"
          + " dead zone and revives nothing)")
  long fileRefFetchIncStep(Call c) {
    long prior = released ? -1 : fileCount - 1;
    if (!released) fileCount++;
    if (c.ctx().tracing()) c.ctx().note(released ? "f_ref in the dead zone: the file is released" : "f_count " + fileCount);
    return prior;
  }

  @Primitive(value = "get_file_active", args = "file", ret = "bool", decides = {"got", "released"}, typesafeByRcu = true,
      doc = "get_file_active(): a reference on the struct file unless f_count already reached 0 (fs/file.c); the struct file"
          + " cache is SLAB_TYPESAFE_BY_RCU, so the step may reach a freed file, whose count is 0")
  long getFileActiveStep(Call c) {
    boolean ok = fileCount > 0;
    if (ok) fileCount++;
    if (c.ctx().tracing()) c.ctx().note(ok ? "f_count " + fileCount : "f_count 0: the file is being released");
    return ok ? 1 : 0;
  }

  @Primitive(value = "file_free", args = "file", ret = "void",
      doc = "file_free() at the end of __fput(): the struct file is freed, and its inode with it (dput() -> iput() -> evict()"
          + " before it; no other reference on the inode is modelled); any later step on either is a use after free (fs/file_table.c)")
  long fileFreeStep(Call c) {
    freed = true;
    if (c.ctx().tracing()) c.ctx().note("struct file and inode freed");
    return 0;
  }

  @Primitive(value = "fput_count", args = "file", ret = "long",
      doc = "fput()'s file_ref_put(): the decrement of f_count and the count left (0: the caller's __fput() releases the file;"
          + " -1: the file was released already, an imbalanced put; fs/file_table.c, include/linux/file_ref.h)")
  long fputStep(Call c) {
    if (released) {
      if (c.ctx().tracing()) c.ctx().note("f_ref in the dead zone: a put on a released file");
      return -1;
    }
    fileCount--;
    released = fileCount == 0;
    if (c.ctx().tracing()) c.ctx().note(fileCount == 0 ? "f_count 0: __fput() runs kvm_gmem_release()" : "f_count " + fileCount);
    return fileCount;
  }

  /** The bound VM's handle before the run: the file is on the inode's list from its creation. */
  public void bootFileKvm(long kvm) {
    fileKvm = kvm;
  }

  @Primitive(value = "__kvm_gmem_file_kvm", args = "inode", ret = "struct kvm *", decides = {"bound", "NULL"},
      doc = "model: kvm_gmem_for_each_file() over the inode's gmem_file list, whose one file is the model's: that file's"
          + " f->kvm when a memslot binds it, NULL when none does or once kvm_gmem_release() took it off the list"
          + " (virt/kvm/guest_memfd.c; the list is read under the invalidate lock)")
  long kvmGmemFileKvmStep(Call c) {
    if (c.ctx().tracing()) c.ctx().note(fileKvm != 0 ? "the file's VM" : "no file bound on the inode's list");
    return fileKvm;
  }

  @Primitive(value = "__kvm_gmem_file_list_del", args = "inode", ret = "void",
      doc = "kvm_gmem_release()'s list_del(&f->entry): the file leaves the inode's gmem_file list (under the invalidate lock)")
  long kvmGmemFileListDelStep(Call c) {
    fileKvm = 0;
    return 0;
  }
}
