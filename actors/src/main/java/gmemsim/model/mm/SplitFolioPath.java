package gmemsim.model.mm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.Msg;
import gmemsim.model.Topology;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * __folio_split() (mm/huge_memory.c; kernel-model §2) of a folio upstream can split, by a caller
 * that holds one reference:
 *
 * <ul>
 *   <li>a <b>mapped anonymous</b> folio (reclaim or migration splitting a PTE-mapped THP of the
 *       VMM's guest RAM): folio_trylock, folio_get_anon_vma() (an unmapped anonymous folio has no
 *       anon_vma to pin: -EBUSY), anon_vma_lock_write(), can_split_folio(), unmap_folio() (the
 *       mmu_notifier range start, every PTE a migration entry, the mappings' rmap and references
 *       dropped, the range end), the freeze to 1 + extra pins, clear_compound_head() of every new
 *       folio, the original's new order, the new folios unfrozen and the original last,
 *       remap_page() folio by folio (references and rmap, then the PTEs, same pfns), the new
 *       folios unlocked and put, anon_vma_unlock_write(), folio_unlock. -EAGAIN (an extra
 *       reference) remaps and unlocks; the caller tries again up to {@code split.max-attempts}.
 *   <li>a <b>page-cache</b> folio, by truncate_inode_partial_folio() which holds the folio lock:
 *       folio->mapping NULL (a racing truncate) is -EBUSY; the cache's references are the extra
 *       pins; xas_split() while frozen; each new folio keeps the cache's references to its pages;
 *       no retry (truncation frees the whole folio instead). guest_memfd folios are not mapped to
 *       user space in the modelled scenarios, so unmap_folio() and remap_page() have nothing to do.
 * </ul>
 *
 * <p>Not modelled because no modelled path contends for them: split_queue_lock, the lruvec lock,
 * i_mmap_lock_read() and the xa_lock re-check of the slot (truncate holds the folio lock and the
 * invalidate lock, so nothing else removes the folio from the cache meanwhile).
 */
public final class SplitFolioPath extends PcPath<SplitFolioPath.Pc> {
  enum Pc {
    FOLIO_LOCK,
    FOLIO_MAPPING,
    GET_ANON_VMA,
    ANON_VMA_LOCK,
    CAN_SPLIT_FOLIO,
    NOTIFY_START,
    SET_MIGRATION_ENTRIES,
    RMAP_PUT,
    NOTIFY_END,
    FOLIO_REF_FREEZE,
    CLEAR_COMPOUND_HEAD,
    FOLIO_SET_ORDER,
    XAS_SPLIT,
    UNFREEZE_NEW,
    UNFREEZE_ORIG,
    REMAP_RMAP,
    REMAP_PTES,
    UNLOCK_NEW,
    PUT_NEW,
    ANON_VMA_UNLOCK,
    FOLIO_UNLOCK,
    DONE
  }

  /** The VMM mm that maps an anonymous folio, and who its mappings' references belong to. */
  public record AnonMapping(int mm, String holder, int firstPage, MmuNotifier notifier) {}

  private final int extraPins;
  private final int inode;
  private final String pageCache;
  private final Msg xasSplit;
  private final AnonMapping anon;

  private final int folio;
  private final int order;
  private final int newOrder;
  private final int maxAttempts;
  private final int mem;
  private final int newFolios;
  private int attempt;
  private int k;
  private int unmapped;
  private boolean split;
  private int err;

  /** A mapped anonymous folio, split by reclaim or migration. */
  public SplitFolioPath(Topology topo, int folio, int order, int newOrder, int maxAttempts, AnonMapping anon) {
    this(topo, folio, order, newOrder, maxAttempts, -1, null, null, anon);
  }

  /**
   * A page-cache folio split by truncate_inode_partial_folio().
   *
   * @param inode the inode component whose page cache holds the folio
   * @param pageCache its name (who owns the cache's references in the ghost ledger)
   * @param xasSplit the request to the inode that splits the folio's xarray entry
   */
  public SplitFolioPath(
      Topology topo, int folio, int order, int newOrder, int maxAttempts, int inode, String pageCache, Msg xasSplit) {
    this(topo, folio, order, newOrder, maxAttempts, inode, pageCache, xasSplit, null);
  }

  private SplitFolioPath(Topology topo, int folio, int order, int newOrder, int maxAttempts, int inode,
      String pageCache, Msg xasSplit, AnonMapping anon) {
    if (newOrder >= order) throw new IllegalArgumentException("split to order >= folio order");
    if ((inode >= 0) == (anon != null)) throw new IllegalArgumentException("a folio is anonymous or in a page cache");
    this.inode = inode;
    this.pageCache = pageCache;
    this.xasSplit = xasSplit;
    this.anon = anon;
    // can_split_folio(): an anonymous folio outside the swap cache has no extra pins; a
    // page-cache folio has one per page.
    this.extraPins = inode >= 0 ? 1 << order : 0;
    this.folio = folio;
    this.order = order;
    this.newOrder = newOrder;
    this.maxAttempts = maxAttempts;
    this.mem = topo.memoryFor(folio);
    this.newFolios = (1 << (order - newOrder)) - 1;
  }

  @Override
  public String name() {
    return "split_folio";
  }

  /** Whether the last run of this path split the folio. */
  public boolean didSplit() {
    return split;
  }

  /** 0, or the error of the last attempt (-EBUSY, -EAGAIN). */
  public int result() {
    return err;
  }

  private int newHead(int i) {
    return folio + (i << newOrder);
  }

  private boolean mem(Ctx ctx, Pc next, MemoryProtocol.Request r) {
    return request(ctx, next, mem, r);
  }

  private boolean mm(Ctx ctx, Pc next, UserMmProtocol.Request r) {
    return request(ctx, next, anon.mm(), r);
  }

  @Override
  protected boolean begin(Ctx ctx) {
    attempt++;
    split = false;
    err = 0;
    if (anon == null) return mem(ctx, Pc.FOLIO_MAPPING, new MemoryProtocol.FolioMapping(folio, false, 0, 0));
    return mem(ctx, Pc.FOLIO_LOCK, new MemoryProtocol.FolioLock(folio));
  }

  /** References each folio keeps after the split: the caller's one and the cache's per page. */
  private int keptRefs() {
    return 1 + (inode >= 0 ? 1 << newOrder : 0);
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case FOLIO_MAPPING -> {
        if (r.value() == 0) return fail(ctx, Errno.EBUSY);
        return canSplit(ctx);
      }
      case FOLIO_LOCK -> {
        return mem(ctx, Pc.GET_ANON_VMA, new MemoryProtocol.FolioGetAnonVma(folio));
      }
      case GET_ANON_VMA -> {
        if (r.value() == 0) return fail(ctx, Errno.EBUSY);
        return mm(ctx, Pc.ANON_VMA_LOCK, new UserMmProtocol.AnonVmaLock(true));
      }
      case ANON_VMA_LOCK -> {
        return canSplit(ctx);
      }
      case CAN_SPLIT_FOLIO -> {
        if (r.value() == 0) return fail(ctx, Errno.EAGAIN);
        if (anon == null) return freeze(ctx);
        return callAt(ctx, Pc.NOTIFY_START, anon.notifier().invalidateRangeStart(anon.firstPage(), 1 << order));
      }
      case NOTIFY_START -> {
        return mm(ctx, Pc.SET_MIGRATION_ENTRIES, new UserMmProtocol.SetMigrationEntries(anon.firstPage(), 1 << order));
      }
      case SET_MIGRATION_ENTRIES -> {
        unmapped = (int) r.value();
        return mem(ctx, Pc.RMAP_PUT, new MemoryProtocol.FolioRemoveRmapPtesPut(folio, unmapped, anon.holder()));
      }
      case RMAP_PUT -> {
        return callAt(ctx, Pc.NOTIFY_END, anon.notifier().invalidateRangeEnd(anon.firstPage(), 1 << order));
      }
      case NOTIFY_END -> {
        return freeze(ctx);
      }
      case FOLIO_REF_FREEZE -> {
        if (r.value() == 0) {
          err = Errno.EAGAIN;
          if (anon != null) return remap(ctx, folio, 1 << order);
          return fail(ctx, Errno.EAGAIN);
        }
        k = 1;
        return mem(ctx, Pc.CLEAR_COMPOUND_HEAD, new MemoryProtocol.ClearCompoundHead(newHead(k), newOrder, folio));
      }
      case CLEAR_COMPOUND_HEAD -> {
        if (++k <= newFolios) {
          return mem(ctx, Pc.CLEAR_COMPOUND_HEAD, new MemoryProtocol.ClearCompoundHead(newHead(k), newOrder, folio));
        }
        return mem(ctx, Pc.FOLIO_SET_ORDER, new MemoryProtocol.FolioSetOrder(folio, newOrder));
      }
      case FOLIO_SET_ORDER -> {
        if (inode >= 0) return request(ctx, Pc.XAS_SPLIT, inode, xasSplit);
        return unfreezeFirstNew(ctx);
      }
      case XAS_SPLIT -> {
        return unfreezeFirstNew(ctx);
      }
      case UNFREEZE_NEW -> {
        if (++k <= newFolios) {
          return mem(ctx, Pc.UNFREEZE_NEW, new MemoryProtocol.FolioRefUnfreeze(newHead(k), keptRefs(), pageCache));
        }
        return mem(ctx, Pc.UNFREEZE_ORIG, new MemoryProtocol.FolioRefUnfreeze(folio, keptRefs(), pageCache));
      }
      case UNFREEZE_ORIG -> {
        split = true;
        if (anon != null) {
          k = 0;
          return remap(ctx, newHead(0), 1 << newOrder);
        }
        return unlockNew(ctx);
      }
      case REMAP_RMAP -> {
        int head = split ? newHead(k) : folio;
        int nr = split ? 1 << newOrder : 1 << order;
        return mm(ctx, Pc.REMAP_PTES, new UserMmProtocol.RemoveMigrationPtes(anon.firstPage() + (head - folio), nr));
      }
      case REMAP_PTES -> {
        if (!split) return fail(ctx, Errno.EAGAIN);
        if (++k <= newFolios) return remap(ctx, newHead(k), 1 << newOrder);
        return unlockNew(ctx);
      }
      case UNLOCK_NEW -> {
        return mem(ctx, Pc.PUT_NEW, new MemoryProtocol.FolioPut(newHead(k), 1));
      }
      case PUT_NEW -> {
        if (++k <= newFolios) return mem(ctx, Pc.UNLOCK_NEW, new MemoryProtocol.FolioUnlock(newHead(k)));
        if (anon == null) return finishAt(Pc.DONE);
        return mm(ctx, Pc.ANON_VMA_UNLOCK, new UserMmProtocol.AnonVmaLock(false));
      }
      case ANON_VMA_UNLOCK -> {
        return mem(ctx, Pc.FOLIO_UNLOCK, new MemoryProtocol.FolioUnlock(folio));
      }
      case FOLIO_UNLOCK -> {
        if (err != 0 && err != Errno.EBUSY && attempt < maxAttempts) return begin(ctx);
        if (err != 0 && ctx.tracing()) ctx.note("split_folio(" + hex(folio) + ") gave up after " + attempt + " tries");
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean canSplit(Ctx ctx) {
    return mem(ctx, Pc.CAN_SPLIT_FOLIO, new MemoryProtocol.CanSplitFolio(folio, extraPins));
  }

  /** local_irq_disable(); folio_ref_freeze(folio, 1 + extra_pins). */
  private boolean freeze(Ctx ctx) {
    return mem(ctx, Pc.FOLIO_REF_FREEZE, new MemoryProtocol.FolioRefFreeze(folio, 1 + extraPins));
  }

  /** remove_migration_pte() for one folio: its references and rmap first, then its PTEs. */
  private boolean remap(Ctx ctx, int head, int nr) {
    return mem(ctx, Pc.REMAP_RMAP, new MemoryProtocol.FolioAddRmapPtes(head, nr, anon.holder()));
  }

  private boolean unfreezeFirstNew(Ctx ctx) {
    k = 1;
    // Each new folio gets its expected references (the cache's, if any) plus the caller's one.
    return mem(ctx, Pc.UNFREEZE_NEW, new MemoryProtocol.FolioRefUnfreeze(newHead(k), keptRefs(), pageCache));
  }

  private boolean unlockNew(Ctx ctx) {
    k = 1;
    return mem(ctx, Pc.UNLOCK_NEW, new MemoryProtocol.FolioUnlock(newHead(k)));
  }

  /** Returns err: the page-cache caller owns the lock; the anonymous path unlocks (and retries). */
  private boolean fail(Ctx ctx, int e) {
    err = e;
    if (ctx.tracing()) ctx.note("split_folio returns " + Errno.name(e));
    if (anon == null) return finishAt(Pc.DONE);
    if (pc == Pc.GET_ANON_VMA) return mem(ctx, Pc.FOLIO_UNLOCK, new MemoryProtocol.FolioUnlock(folio));
    return mm(ctx, Pc.ANON_VMA_UNLOCK, new UserMmProtocol.AnonVmaLock(false));
  }

  /** __folio_split() disables local IRQs from before the freeze until the original is unfrozen. */
  @Override
  public boolean interruptible() {
    return switch (pc) {
      case FOLIO_REF_FREEZE, CLEAR_COMPOUND_HEAD, FOLIO_SET_ORDER, XAS_SPLIT, UNFREEZE_NEW, UNFREEZE_ORIG -> false;
      default -> true;
    };
  }

  @Override
  protected String here() {
    return pc + " folio " + hex(folio) + " (order " + order + " -> " + newOrder + ")";
  }
}
