package gmemsim.model.mm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Msg;

/**
 * Requests to a memory component (struct pages + page allocator of one range). Each is one
 * atomic kernel operation; the reply is a {@link gmemsim.model.thread.ThreadProtocol.Ret}.
 */
public final class MemoryProtocol {
  private MemoryProtocol() {}

  /** A request the memory component performs atomically. */
  public sealed interface Request extends Msg {
    void applyTo(Memory m, Ctx ctx);
  }

  /** page_folio(): returns the folio (head pfn) the page belongs to at this instant. */
  public record PageFolio(int pfn) implements Request, gmemsim.model.StepObjects.OnPfn {
    public String step() {
      return "page_folio";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.pageFolio(this, ctx);
    }
  }

  /** folio_try_get() / folio_ref_try_add(): 1 on success, 0 when the count was 0. */
  public record FolioTryGet(int folio, int nr) implements Request, gmemsim.model.StepObjects.OnFolio, gmemsim.model.StepObjects.TryGet {
    public String step() {
      return nr == 1 ? "folio_try_get" : "folio_ref_try_add";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioTryGet(this, ctx);
    }
  }

  /** get_page_unless_zero(): add to this page's own count unless it is 0 (tails always are). */
  public record GetPageUnlessZero(int pfn) implements Request, gmemsim.model.StepObjects.OnPfn, gmemsim.model.StepObjects.TryGet {
    public String step() {
      return "get_page_unless_zero";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.getPageUnlessZero(this, ctx);
    }
  }

  /**
   * folio_put() / folio_put_refs(): the put that reaches 0 frees the folio. {@code holder} names
   * who owned the references when it is not the sender (the page cache's, dropped by whoever
   * removes the folio); null for the sender's own.
   */
  public record FolioPut(int folio, int nr, String holder) implements Request, gmemsim.model.StepObjects.OnFolio {
    public FolioPut(int folio, int nr) {
      this(folio, nr, null);
    }

    public String step() {
      return nr == 1 ? "folio_put" : "folio_put_refs";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioPut(this, ctx);
    }
  }

  /** folio_lock(): returns once the caller holds PG_locked (waiters queue in order). */
  public record FolioLock(int folio) implements Request {
    public String step() {
      return "folio_lock";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioLock(this, ctx);
    }
  }

  /** folio_unlock(): releases PG_locked, waking the first waiter. */
  public record FolioUnlock(int folio) implements Request {
    public String step() {
      return "folio_unlock";
    }

    @Override
    public boolean releasesLock() {
      return true;
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioUnlock(this, ctx);
    }
  }

  /** can_split_folio(): the racy pre-check refcount == mapcount + extra_pins + 1. */
  public record CanSplitFolio(int folio, int extraPins) implements Request, gmemsim.model.StepObjects.OnFolio, gmemsim.model.StepObjects.Decision {
    public String step() {
      return "can_split_folio";
    }

    @Override
    public String yes() {
      return "can split";
    }

    @Override
    public String no() {
      return "busy";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.canSplitFolio(this, ctx);
    }
  }

  /** folio_ref_freeze(): CAS(refcount: count -> 0); 1 on success. */
  public record FolioRefFreeze(int folio, int count) implements Request, gmemsim.model.StepObjects.OnFolio, gmemsim.model.StepObjects.Decision {
    public String step() {
      return "folio_ref_freeze";
    }

    @Override
    public String yes() {
      return "frozen";
    }

    @Override
    public String no() {
      return "fail";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioRefFreeze(this, ctx);
    }
  }

  /**
   * One new folio in __split_folio_to_order(): copy flags, clear_compound_head() of the new
   * head, prep its tails when newOrder > 0.
   */
  public record ClearCompoundHead(int newHead, int newOrder, int origFolio) implements Request {
    public String step() {
      return "clear_compound_head";
    }

    @Override
    public long objectStart() {
      return newHead;
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.clearCompoundHead(this, ctx);
    }
  }

  /** folio_set_order() on the original folio once every tail is split off. */
  public record FolioSetOrder(int folio, int order) implements Request, gmemsim.model.StepObjects.OnFolio {
    public String step() {
      return "folio_set_order";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioSetOrder(this, ctx);
    }
  }

  /**
   * folio_ref_unfreeze(): store-release of count into a frozen folio. For a page-cache folio,
   * {@code pageCache} names the mapping that owns all but the caller's one of the references
   * (ghost ledger only); null for an anonymous folio.
   */
  public record FolioRefUnfreeze(int folio, int count, String pageCache) implements Request, gmemsim.model.StepObjects.OnFolio {
    public FolioRefUnfreeze(int folio, int count) {
      this(folio, count, null);
    }

    public String step() {
      return "folio_ref_unfreeze";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioRefUnfreeze(this, ctx);
    }
  }

  /**
   * alloc_pages(GFP_KERNEL | __GFP_COMP, order): the head pfn, or -ENOMEM. {@code pgtable}
   * marks a page-table allocation, which {@code faults.pgtable-alloc-fail} can make fail.
   */
  public record AllocPages(int order, boolean pgtable) implements Request {
    public String step() {
      return "alloc_pages";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.allocPages(this, ctx);
    }
  }

  /**
   * A write to the page through a mapping the writer set up under its reference on {@code
   * folio}. {@code by} says who writes: a guest through the EPT, or the kernel.
   */
  public record PageWrite(int pfn, int folio, long gen, int data, String by) implements Request {
    /** One name instance per writer: coverage tells steps apart by reference. */
    private static final java.util.Map<String, String> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    public String step() {
      return NAMES.computeIfAbsent(by, b -> b + " write");
    }

    @Override
    public String describe() {
      return step() + "(pfn=" + hex(pfn) + ", under a reference on " + hex(folio) + ")";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.pageWrite(this, ctx);
    }
  }

  /**
   * A CPU's load through the kernel direct map, with the translation it got from its TLB or a
   * walk; returns the content tag (what the load sees).
   */
  public record DirectMapLoad(int pfn, boolean speculative, boolean tlbHit) implements Request {
    public String step() {
      return speculative ? "speculative load" : "kernel load";
    }

    @Override
    public String describe() {
      return step() + "(va=" + gmemsim.model.dmap.Addr.hexVa(gmemsim.model.dmap.Addr.pageAddress(pfn))
          + (tlbHit ? ", TLB hit" : ", after walk") + ")";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.directMapLoad(this, ctx);
    }
  }

  /**
   * A CPU's store through the kernel direct map: clear_page() of a fresh page (data = no data), or
   * a copy_from_user() into a page the kernel mapped with kmap_local_page() (data = the copy).
   */
  public record DirectMapStore(int pfn, boolean tlbHit, int data) implements Request {
    public DirectMapStore(int pfn, boolean tlbHit) {
      this(pfn, tlbHit, PageTag.NONE);
    }

    public String step() {
      return data == PageTag.NONE ? "clear_page" : "copy_from_user";
    }

    @Override
    public String describe() {
      return step() + "(va=" + gmemsim.model.dmap.Addr.hexVa(gmemsim.model.dmap.Addr.pageAddress(pfn))
          + (tlbHit ? ", TLB hit" : ", after walk") + ")";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.directMapStore(this, ctx);
    }
  }

  /** A read of the page under the reader's reference on {@code folio}; returns the content tag. */
  public record PageRead(int pfn, int folio, long gen, String by) implements Request {
    private static final java.util.Map<String, String> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    public String step() {
      return NAMES.computeIfAbsent(by, b -> b + " read");
    }

    @Override
    public String describe() {
      return step() + "(pfn=" + hex(pfn) + ", under a reference on " + hex(folio) + ")";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.pageRead(this, ctx);
    }
  }

  /**
   * folio_ref_add(): the caller holds a reference already. {@code holder} owns the new references
   * in the ghost ledger (filemap_add_folio() takes them for the page cache).
   */
  public record FolioRefAdd(int folio, int nr, String holder) implements Request {
    public String step() {
      return "folio_ref_add";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioRefAdd(this, ctx);
    }
  }

  /**
   * One folio flag: folio_test_{uptodate,private,hwpoison}(), or with {@code set} non-null the
   * matching folio_mark_/folio_set_/folio_clear_ call. Returns the old bit.
   */
  public record FolioFlag(int folio, int flag, Boolean set) implements Request {
    /** Per flag: the test, set and clear names, one instance each (coverage compares by reference). */
    private static final java.util.Map<Integer, String[]> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    public String step() {
      String[] n = NAMES.computeIfAbsent(flag, x -> {
        String f = StructPages.flagName(x);
        return new String[] {"folio_test_" + f, "folio_set_" + f, "folio_clear_" + f};
      });
      return set == null ? n[0] : set ? n[1] : n[2];
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioFlag(this, ctx);
    }
  }

  /**
   * folio->mapping: with {@code set} false a read (the re-check after folio_lock()), else a store
   * of {@code inode} (0 = NULL, as page_cache_delete() does) and of folio->index. Returns the old
   * value.
   */
  public record FolioMapping(int folio, boolean set, int inode, int index) implements Request {
    public String step() {
      return set ? "folio->mapping =" : "folio->mapping";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioMapping(this, ctx);
    }
  }

  /**
   * A write through a temporary local mapping (kmap_local/mermap of an unmapped page): no
   * direct-map entry and no TLB entry another CPU could use.
   */
  public record TempMapWrite(int pfn, int data) implements Request {
    public String step() {
      return "mermap write";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.tempMapWrite(this, ctx);
    }
  }

  /**
   * A guest load or store that the CPU translated through the EPT (or a cached guest
   * translation) to pfn: no struct-page reference is involved, the mapping is all that pins the
   * page. gen is the page's allocation generation when KVM installed the mapping, and inode/index
   * the guest_memfd page the memslot says backs the gfn (ghost, for the oracles). A load replies
   * with the content tag.
   */
  public record GuestAccess(int pfn, long gen, boolean write, int data, int vm, long gfn, int inode, int index)
      implements Request {
    public String step() {
      return write ? "guest store (EPT)" : "guest load (EPT)";
    }

    @Override
    public String describe() {
      return step() + "(gfn " + hex(gfn) + " -> pfn " + hex(pfn) + ")";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.guestAccess(this, ctx);
    }
  }

  /**
   * folio_get_anon_vma(): 1 when the folio is anonymous and still mapped (the anon_vma can be
   * pinned), 0 otherwise: __folio_split() then returns -EBUSY.
   */
  public record FolioGetAnonVma(int folio) implements Request {
    public String step() {
      return "folio_get_anon_vma";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioGetAnonVma(this, ctx);
    }
  }

  /**
   * try_to_migrate_one() after its PTE writes: folio_remove_rmap_ptes() and one folio_put() per
   * PTE it turned into a migration entry; the references were {@code holder}'s (the mm's).
   */
  public record FolioRemoveRmapPtesPut(int folio, int nr, String holder) implements Request {
    public String step() {
      return "folio_remove_rmap_ptes+folio_put";
    }

    @Override
    public String describe() {
      return step() + "(" + hex(folio) + ", " + nr + " PTEs)";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioRemoveRmapPtesPut(this, ctx);
    }
  }

  /**
   * remove_migration_pte() before it writes the PTEs back: folio_get() and
   * folio_add_anon_rmap_ptes() for nr pages of the folio; the references become {@code holder}'s.
   */
  public record FolioAddRmapPtes(int folio, int nr, String holder) implements Request {
    public String step() {
      return "folio_get+folio_add_anon_rmap_ptes";
    }

    @Override
    public String describe() {
      return step() + "(" + hex(folio) + ", " + nr + " PTEs)";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.folioAddRmapPtes(this, ctx);
    }
  }

  /**
   * zap_pte_range() for nr pages from pfn whose PTEs the zap just cleared: for each page
   * folio_remove_rmap_pte(page_folio(page)) and the mapping's folio_put() (done after the TLB
   * flush through the mmu_gather, with nothing between that a page user could observe).
   */
  public record ZapPteRmap(int pfn, int nr, String holder) implements Request {
    public String step() {
      return "zap_pte_range: rmap+put";
    }

    @Override
    public String describe() {
      return step() + "(" + hex(pfn) + ", " + nr + " pages)";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.zapPteRmap(this, ctx);
    }
  }

  /**
   * memory_failure(): TestSetPageHWPoison() of the frame the machine check reported. The poison
   * comes from the hardware, so the ghost state records that its loss is not the kernel's doing.
   */
  public record TestSetPageHwPoison(int pfn) implements Request {
    public String step() {
      return "TestSetPageHWPoison";
    }

    public void applyTo(Memory m, Ctx ctx) {
      m.testSetPageHwPoison(this, ctx);
    }
  }
}
