package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.StructPages;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * Compaction migrating the guest_memfd folio at one index (mm/migrate.c migrate_pages() ->
 * migrate_folio_unmap()/migrate_folio_move() -> a_ops->migrate_folio): isolate (a reference),
 * folio_lock, then the mapping's migrate_folio. guest_memfd's kvm_gmem_migrate_folio() returns
 * -EINVAL ({@code gmem.migrate-folio = refuse}, mainline; secretmem returns -EBUSY). With the
 * generic filemap_migrate_folio() ({@code filemap}): allocate the destination, folio_mc_copy()
 * page by page through the direct map (reading a source that is out of the direct map oopses),
 * __folio_migrate_mapping(): freeze the source at the cache's references plus ours (another
 * reference fails it: -EAGAIN), the xarray slot now holds the destination, which takes the cache's
 * references, mapping, index and folio->private (the no-direct-map bit); the source leaves
 * without filemap_remove_folio(), so ->free_folio never runs for it, and the last put frees it
 * (race 11).
 *
 * <p>Which folio compaction picks is its scanner's business: the path reads the page cache for
 * the index (a ghost lookup standing for the pfn the scanner reached).
 */
public final class MigrateFolioPath extends PcPath<MigrateFolioPath.Pc> {
  enum Pc {
    WHICH_FOLIO,
    ISOLATE,
    LOCK,
    MAPPING,
    ALLOC_DST,
    LOCK_DST,
    COPY,
    FREEZE,
    REPLACE,
    DST_REFS,
    DST_MAPPING,
    TEST_PRIVATE,
    DST_PRIVATE,
    SRC_MAPPING,
    UNFREEZE_SRC,
    UNLOCK_DST,
    PUT_DST,
    UNLOCK,
    PUT,
    DONE
  }

  private final GmemEnv env;
  private final Task task;
  private final int index;
  private final boolean migratable;
  private int src;
  private int order;
  private int dst;
  private int k;
  private boolean moved;
  private SourcePath access;

  public MigrateFolioPath(GmemEnv env, Task task, int index, boolean migratable) {
    this.env = env;
    this.task = task;
    this.index = index;
    this.migratable = migratable;
  }

  @Override
  public String name() {
    return "migrate_pages";
  }

  private int nr() {
    return 1 << order;
  }

  private int folioIndex() {
    return index & ~(nr() - 1);
  }

  private boolean mem(Ctx ctx, Pc next, int folio, MemoryProtocol.Request r) {
    return request(ctx, next, env.memoryFor(folio), r);
  }

  @Override
  protected boolean begin(Ctx ctx) {
    moved = false;
    return request(ctx, Pc.WHICH_FOLIO, env.inode(), new GmemProtocol.FilemapGetEntry(index, false));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case WHICH_FOLIO -> {
        if (r.value() < 0) return finishAt(Pc.DONE);
        src = (int) r.value();
        order = (int) r.ghost();
        return mem(ctx, Pc.ISOLATE, src, new MemoryProtocol.FolioTryGet(src, 1));
      }
      case ISOLATE -> {
        if (r.value() == 0) return finishAt(Pc.DONE);
        return mem(ctx, Pc.LOCK, src, new MemoryProtocol.FolioLock(src));
      }
      case LOCK -> {
        if (!migratable) {
          if (ctx.tracing()) ctx.note("kvm_gmem_migrate_folio(): -EINVAL, the folio stays");
          return mem(ctx, Pc.UNLOCK, src, new MemoryProtocol.FolioUnlock(src));
        }
        return mem(ctx, Pc.MAPPING, src, new MemoryProtocol.FolioMapping(src, false, 0, 0));
      }
      case MAPPING -> {
        if (r.value() != env.inodeId()) {
          // Truncated since the scanner found it: an orphan the truncation already freed from the
          // cache (upstream would migrate it without a mapping; nothing here depends on that).
          if (ctx.tracing()) ctx.note("folio " + hex(src) + " left the page cache meanwhile: skip it");
          return mem(ctx, Pc.UNLOCK, src, new MemoryProtocol.FolioUnlock(src));
        }
        return request(ctx, Pc.ALLOC_DST, env.topo().memoryRange(0), new MemoryProtocol.AllocPages(order, false));
      }
      case ALLOC_DST -> {
        if (r.value() < 0) return mem(ctx, Pc.UNLOCK, src, new MemoryProtocol.FolioUnlock(src));
        dst = (int) r.value();
        return mem(ctx, Pc.LOCK_DST, dst, new MemoryProtocol.FolioLock(dst));
      }
      case LOCK_DST -> {
        k = 0;
        return copyLoad(ctx);
      }
      case COPY -> {
        if (access.killed()) {
          task.kill();
          return finishAt(Pc.DONE);
        }
        if (++k < nr()) return copyLoad(ctx);
        // __folio_migrate_mapping(): the cache's references and ours, nothing else.
        return mem(ctx, Pc.FREEZE, src, new MemoryProtocol.FolioRefFreeze(src, nr() + 1));
      }
      case FREEZE -> {
        if (r.value() == 0) {
          if (ctx.tracing()) ctx.note("an extra reference: -EAGAIN, the folio stays");
          return mem(ctx, Pc.UNLOCK_DST, dst, new MemoryProtocol.FolioUnlock(dst));
        }
        return request(ctx, Pc.REPLACE, env.inode(), new GmemProtocol.XaReplaceFolio(folioIndex(), src, dst, nr()));
      }
      case REPLACE -> {
        moved = true;
        return mem(ctx, Pc.DST_REFS, dst, new MemoryProtocol.FolioRefAdd(dst, nr(), env.pageCache()));
      }
      case DST_REFS -> {
        return mem(ctx, Pc.DST_MAPPING, dst, new MemoryProtocol.FolioMapping(dst, true, env.inodeId(), folioIndex()));
      }
      case DST_MAPPING -> {
        return mem(ctx, Pc.TEST_PRIVATE, src, new MemoryProtocol.FolioFlag(src, StructPages.FOLIO_PRIVATE_NO_DIRECT_MAP, null));
      }
      case TEST_PRIVATE -> {
        // folio_migrate_flags() and the move of folio->private: the bit describes the source.
        return mem(ctx, Pc.DST_PRIVATE, dst, new MemoryProtocol.FolioFlag(dst, StructPages.FOLIO_PRIVATE_NO_DIRECT_MAP, r.value() != 0));
      }
      case DST_PRIVATE -> {
        return mem(ctx, Pc.SRC_MAPPING, src, new MemoryProtocol.FolioMapping(src, true, 0, 0));
      }
      case SRC_MAPPING -> {
        // The cache's references went to the destination: only ours is left on the source.
        return mem(ctx, Pc.UNFREEZE_SRC, src, new MemoryProtocol.FolioRefUnfreeze(src, 1, env.pageCache()));
      }
      case UNFREEZE_SRC -> {
        return mem(ctx, Pc.UNLOCK_DST, dst, new MemoryProtocol.FolioUnlock(dst));
      }
      case UNLOCK_DST -> {
        // The destination keeps the cache's references; ours (the allocation's) goes.
        return mem(ctx, Pc.PUT_DST, dst, new MemoryProtocol.FolioPut(dst, 1));
      }
      case PUT_DST -> {
        return mem(ctx, Pc.UNLOCK, src, new MemoryProtocol.FolioUnlock(src));
      }
      case UNLOCK -> {
        return mem(ctx, Pc.PUT, src, new MemoryProtocol.FolioPut(src, 1));
      }
      case PUT -> {
        if (moved && ctx.tracing()) ctx.note("source " + hex(src) + " freed without ->free_folio");
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  /** folio_mc_copy()'s copy_mc_highpage() of page k: the load from the source, then the store, through the direct map. */
  private boolean copyLoad(Ctx ctx) {
    access = new SourcePath(env.kernel(), "copy_mc_highpage", dst + k, src + k).faultingAs("folio_mc_copy");
    return callAt(ctx, Pc.COPY, access);
  }

  @Override
  protected String here() {
    return pc + " index " + index + (src == 0 ? "" : " folio " + hex(src));
  }
}
