package gmemsim.model.mm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.Msg;
import gmemsim.model.Topology;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * split_folio() of an anonymous folio with no mappings and no swap cache, by a caller that holds
 * one reference, in the order of __folio_split() (kernel-model §2): folio lock, can_split_folio(),
 * freeze the count, clear_compound_head() of every new folio, shrink the original, unfreeze the
 * new folios and the original last, then unlock and put the new folios (the caller keeps only
 * the one it asked for, the original). An extra reference anywhere makes it return -EAGAIN; the
 * caller retries a few times, then keeps the folio whole.
 *
 * <p>Not modelled because no other path in the scenarios contends for them: unmap_folio() and
 * remap_page() (the folio has no mappings), the anon_vma lock, split_queue_lock, lruvec lock.
 */
public final class SplitFolioPath implements Path {
  private enum Pc {
    FOLIO_LOCK,
    CAN_SPLIT_FOLIO,
    FOLIO_REF_FREEZE,
    CLEAR_COMPOUND_HEAD,
    FOLIO_SET_ORDER,
    XAS_SPLIT,
    UNFREEZE_NEW,
    UNFREEZE_ORIG,
    UNLOCK_NEW,
    PUT_NEW,
    FOLIO_UNLOCK,
    EAGAIN_UNLOCK,
    DONE
  }

  private final int extraPins;
  private final boolean callerLocked;
  private final int inode;
  private final String pageCache;
  private final Msg xasSplit;

  private final int folio;
  private final int order;
  private final int newOrder;
  private final int maxAttempts;
  private final int mem;
  private final int newFolios;
  private Pc pc;
  private int attempt;
  private int k;
  private boolean split;

  public SplitFolioPath(Topology topo, int folio, int order, int newOrder, int maxAttempts) {
    this(topo, folio, order, newOrder, maxAttempts, -1, null, null);
  }

  /**
   * split_folio() of a page-cache folio by truncate_inode_partial_folio(), which holds the folio
   * lock and one reference: the cache's references are extra pins, the xarray entry is split
   * (xas_split) while the folio is frozen, each new folio keeps the cache's references to its
   * pages, and there is no retry (truncation frees the whole folio instead).
   *
   * @param inode the inode component whose page cache holds the folio, -1 for an anonymous folio
   * @param pageCache its name (who owns the cache's references in the ghost ledger)
   * @param xasSplit the request to the inode that splits the folio's xarray entry
   */
  public SplitFolioPath(
      Topology topo,
      int folio,
      int order,
      int newOrder,
      int maxAttempts,
      int inode,
      String pageCache,
      Msg xasSplit) {
    this.inode = inode;
    this.pageCache = pageCache;
    this.xasSplit = xasSplit;
    this.callerLocked = inode >= 0;
    // An anonymous folio outside the swap cache has no extra pins (kernel-model §2 step 2); a
    // page-cache folio has one per page.
    this.extraPins = inode >= 0 ? 1 << order : 0;
    if (newOrder >= order) throw new IllegalArgumentException("split to order >= folio order");
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

  private int newHead(int i) {
    return folio + (i << newOrder);
  }

  @Override
  public boolean start(Ctx ctx) {
    attempt++;
    split = false;
    if (callerLocked) {
      send(ctx, Pc.CAN_SPLIT_FOLIO, new MemoryProtocol.CanSplitFolio(folio, extraPins));
      return false;
    }
    pc = Pc.FOLIO_LOCK;
    ctx.send(mem, new MemoryProtocol.FolioLock(folio));
    return false;
  }

  /** References each folio keeps after the split: the caller's one and the cache's per page. */
  private int keptRefs() {
    return 1 + (inode >= 0 ? 1 << newOrder : 0);
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    switch (pc) {
      case FOLIO_LOCK -> send(ctx, Pc.CAN_SPLIT_FOLIO, new MemoryProtocol.CanSplitFolio(folio, extraPins));
      case CAN_SPLIT_FOLIO -> {
        if (r.value() == 0) return eagain(ctx);
        send(ctx, Pc.FOLIO_REF_FREEZE, new MemoryProtocol.FolioRefFreeze(folio, 1 + extraPins));
      }
      case FOLIO_REF_FREEZE -> {
        if (r.value() == 0) return eagain(ctx);
        k = 1;
        send(ctx, Pc.CLEAR_COMPOUND_HEAD, new MemoryProtocol.ClearCompoundHead(newHead(k), newOrder, folio));
      }
      case CLEAR_COMPOUND_HEAD -> {
        if (++k <= newFolios) {
          send(ctx, Pc.CLEAR_COMPOUND_HEAD, new MemoryProtocol.ClearCompoundHead(newHead(k), newOrder, folio));
        } else {
          send(ctx, Pc.FOLIO_SET_ORDER, new MemoryProtocol.FolioSetOrder(folio, newOrder));
        }
      }
      case FOLIO_SET_ORDER -> {
        if (inode >= 0) {
          pc = Pc.XAS_SPLIT;
          ctx.send(inode, xasSplit);
          return false;
        }
        return unfreezeFirstNew(ctx);
      }
      case XAS_SPLIT -> {
        return unfreezeFirstNew(ctx);
      }
      case UNFREEZE_NEW -> {
        if (++k <= newFolios) {
          send(ctx, Pc.UNFREEZE_NEW, new MemoryProtocol.FolioRefUnfreeze(newHead(k), keptRefs(), pageCache));
        } else {
          send(ctx, Pc.UNFREEZE_ORIG, new MemoryProtocol.FolioRefUnfreeze(folio, keptRefs(), pageCache));
        }
      }
      case UNFREEZE_ORIG -> {
        split = true;
        k = 1;
        send(ctx, Pc.UNLOCK_NEW, new MemoryProtocol.FolioUnlock(newHead(k)));
      }
      case UNLOCK_NEW -> send(ctx, Pc.PUT_NEW, new MemoryProtocol.FolioPut(newHead(k), 1));
      case PUT_NEW -> {
        if (++k <= newFolios) {
          send(ctx, Pc.UNLOCK_NEW, new MemoryProtocol.FolioUnlock(newHead(k)));
        } else if (callerLocked) {
          pc = Pc.DONE;
          return true;
        } else {
          send(ctx, Pc.FOLIO_UNLOCK, new MemoryProtocol.FolioUnlock(folio));
        }
      }
      case FOLIO_UNLOCK -> {
        pc = Pc.DONE;
        return true;
      }
      case EAGAIN_UNLOCK -> {
        if (attempt < maxAttempts) return start(ctx);
        if (ctx.tracing()) ctx.note("split_folio(" + hex(folio) + ") gave up after " + attempt + " tries");
        pc = Pc.DONE;
        return true;
      }
      default -> throw new IllegalStateException(pc.toString());
    }
    return false;
  }

  private boolean unfreezeFirstNew(Ctx ctx) {
    k = 1;
    // Each new folio gets its expected references (the cache's, if any) plus the caller's one.
    send(ctx, Pc.UNFREEZE_NEW, new MemoryProtocol.FolioRefUnfreeze(newHead(k), keptRefs(), pageCache));
    return false;
  }

  private boolean eagain(Ctx ctx) {
    if (ctx.tracing()) ctx.note("split_folio returns " + Errno.name(Errno.EAGAIN));
    if (callerLocked) {
      pc = Pc.DONE;
      return true;
    }
    send(ctx, Pc.EAGAIN_UNLOCK, new MemoryProtocol.FolioUnlock(folio));
    return false;
  }

  private void send(Ctx ctx, Pc next, MemoryProtocol.Request r) {
    pc = next;
    ctx.send(mem, r);
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
  public String where() {
    return pc + " folio " + hex(folio) + " (order " + order + " -> " + newOrder + ")";
  }
}
