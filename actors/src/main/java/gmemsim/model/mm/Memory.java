package gmemsim.model.mm;

import gmemsim.model.prim.StateOwner;
import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.exec.RefBeliefs;
import gmemsim.model.prim.Call;
import gmemsim.model.prim.Ref;
import gmemsim.model.prim.Primitive;
import gmemsim.model.prim.Route;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The owner of one range of struct pages and its page allocator. Each request is handled
 * atomically, exactly as the kernel operation it names is atomic with respect to other CPUs.
 */
public final class Memory implements StateOwner {
  private final String name;
  private final StructPages pages;
  private final PageAllocator allocator;
  private final Map<Integer, ArrayDeque<Integer>> lockWaiters = new HashMap<>();
  private final boolean[] held = new boolean[1];

  private final double pgtableAllocFail;

  public Memory(String name, int basePfn, int nrPages, int pcpHigh) {
    this(name, basePfn, nrPages, pcpHigh, 0);
  }

  /** @param pgtableAllocFail chance that a page-table allocation fails with -ENOMEM */
  public Memory(String name, int basePfn, int nrPages, int pcpHigh, double pgtableAllocFail) {
    this.pgtableAllocFail = pgtableAllocFail;
    this.name = name;
    this.pages = new StructPages(basePfn, nrPages);
    this.allocator = new PageAllocator(pages, pcpHigh);
  }

  @Override
  public String name() {
    return name;
  }

  public StructPages pages() {
    return pages;
  }

  public PageAllocator allocator() {
    return allocator;
  }

  @Override
  public java.util.List<String> ghost(
      java.util.Set<Integer> pfns, java.util.function.IntFunction<String> names) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int pfn : new java.util.TreeSet<>(pfns)) {
      if (!pages.covers(pfn)) continue;
      int f = pages.pageFolio(pfn);
      out.add(
          "struct page "
              + hex(pfn)
              + ": page_folio = "
              + hex(f)
              + (f == pfn ? "" : " (a tail of it)")
              + ", folio order "
              + pages.folioOrder(f)
              + ", folio refcount "
              + pages.refcount(f)
              + (pages.isFree(pfn) ? ", free" : ", allocated (generation " + pages.gen(pfn) + ")")
              + ", holds "
              + PageTag.describe(pages.tag(pfn), names)
              + (pages.holders(f).isEmpty() ? "" : "; references on " + hex(f) + " held by " + pages.holders(f)));
    }
    return out;
  }

  private long pageFolio(int pfn, Ctx ctx) {
    int f = pages.pageFolio(pfn);
    if (ctx.tracing()) ctx.note("folio " + hex(f) + (f == pfn ? "" : " (a tail of it)"));
    return f;
  }

  /** folio_ref_try_add() of nr references for who; notes what happened. */
  private boolean tryGet(int folio, int nr, String who, Ctx ctx) {
    int before = pages.refcount(folio);
    boolean ok = pages.folioRefTryAdd(folio, nr, who);
    if (ctx.tracing()) {
      ctx.note(
          ok
              ? "refcount " + before + " -> " + pages.refcount(folio)
              : "refcount 0: fails" + (pages.isFree(folio) ? " (free)" : " (frozen)"));
    }
    return ok;
  }

  /** folio_put_refs() of nr references, who's in the ghost ledger; the put that reaches 0 frees the folio. */
  private long folioPut(int folio, int nr, String who, Ctx ctx) {
    int before = pages.refcount(folio);
    int after = pages.folioPutRefs(folio, nr, who, held);
    ctx.emit(new MmEvents.RefPut(who, folio, before, held[0]));
    boolean frees = after == 0 && before > 0 && !pages.isFree(folio);
    if (ctx.tracing()) {
      ctx.note(
          "refcount "
              + before
              + " -> "
              + after
              + (frees ? ": freed to the allocator" : "")
              + (held[0] ? "" : " (" + who + " held no reference on it)"));
    }
    if (frees && pages.folioTestFlag(folio, StructPages.PG_HWPOISON)) {
      // free_pages_prepare(): a poisoned page never reaches the pcp lists or the buddy. A page
      // a machine check poisoned is lost to the hardware error, which no kernel could prevent.
      if (!pages.machineCheck(folio)) {
        ctx.emit(new MmEvents.MemoryLost(who, folio, pages.folioOrder(folio), "HWPoison page leaked on free"));
      }
      if (ctx.tracing()) ctx.note("PG_hwpoison: the page is never returned to the allocator");
    } else if (frees) {
      allocator.freeFolio(folio);
    }
    return after;
  }

  /** Who holds each folio lock taken through folio_lock(), for the deadlock oracle's graph. */
  private final Map<Integer, Integer> lockHolder = new HashMap<>();

  /**
   * Lock names by folio, built once per JVM (a name, not state): the deadlock oracle's graph is
   * keyed by them at every folio lock and unlock of every run.
   */
  private static final Map<Integer, String> LOCK_NAMES = new java.util.concurrent.ConcurrentHashMap<>();

  private static String folioLockName(int folio) {
    String n = LOCK_NAMES.get(folio);
    if (n == null) {
      n = "folio " + hex(folio) + " lock";
      if (LOCK_NAMES.size() < 1 << 16) LOCK_NAMES.put(folio, n);
    }
    return n;
  }

  /** Replies only once the sender holds the lock: at once, or when an unlock hands it over. */
  private void folioLock(int folio, Ctx ctx) {
    if (pages.folioTrylock(folio)) {
      lockHolder.put(folio, ctx.sender());
      ctx.emit(new gmemsim.model.lock.LockEvents.Acquired(folioLockName(folio), ctx.name(ctx.sender())));
      if (ctx.tracing()) ctx.note("PG_locked set");
      ctx.reply(Ret.of(0));
    } else {
      lockWaiters.computeIfAbsent(folio, k -> new ArrayDeque<>()).add(ctx.sender());
      ctx.emit(new gmemsim.model.lock.LockEvents.Waits(folioLockName(folio), ctx.name(ctx.sender())));
      if (ctx.tracing()) ctx.note("locked by someone else: " + ctx.name(ctx.sender()) + " sleeps");
    }
  }

  private long folioUnlock(int folio, Ctx ctx) {
    // The folio lock has no owner upstream: whoever unlocks releases it for its holder.
    Integer holder = lockHolder.remove(folio);
    if (holder != null) {
      ctx.emit(new gmemsim.model.lock.LockEvents.Released(folioLockName(folio), ctx.name(holder)));
    }
    ArrayDeque<Integer> q = lockWaiters.get(folio);
    if (q != null && !q.isEmpty()) {
      int next = q.poll();
      lockHolder.put(folio, next);
      ctx.emit(new gmemsim.model.lock.LockEvents.Acquired(folioLockName(folio), ctx.name(next)));
      if (ctx.tracing()) ctx.note("PG_locked handed to " + ctx.name(next));
      ctx.send(next, Ret.of(0));
    } else {
      pages.folioUnlock(folio);
      if (ctx.tracing()) ctx.note("PG_locked cleared");
    }
    return 0;
  }

  private long canSplitFolio(int folio, int extraPins, Ctx ctx) {
    // can_split_folio(): every reference but the caller's and the extra pins is a mapping's.
    int rc = pages.refcount(folio);
    int mc = pages.folioMapcount(folio);
    boolean ok = mc == rc - extraPins - 1;
    if (ctx.tracing()) {
      ctx.note("refcount " + rc + ", mapcount " + mc + (ok ? ": can split" : ": extra reference"));
    }
    return ok ? 1 : 0;
  }

  private long testSetPageHwPoison(int pfn, Ctx ctx) {
    boolean old = pages.folioSetFlag(pfn, StructPages.PG_HWPOISON, true);
    pages.markMachineCheck(pfn);
    if (ctx.tracing()) ctx.note(old ? "already poisoned" : "PG_hwpoison set (machine check)");
    return old ? 1 : 0;
  }

  private long folioGetAnonVma(int folio, Ctx ctx) {
    boolean ok = pages.folioTestAnon(folio) && pages.folioMapcount(folio) > 0;
    if (ctx.tracing()) {
      ctx.note(ok ? "anon_vma pinned" : pages.folioTestAnon(folio) ? "not mapped: NULL" : "not anonymous: NULL");
    }
    return ok ? 1 : 0;
  }

  private long folioRemoveRmapPtesPut(int folio, int nr, String holder, Ctx ctx) {
    int before = pages.refcount(folio);
    pages.folioRemoveRmapPtes(folio, nr);
    int after = pages.folioPutRefs(folio, nr, holder, held);
    ctx.emit(new MmEvents.RefPut(holder, folio, before, held[0]));
    if (ctx.tracing()) {
      ctx.note("mapcount " + pages.folioMapcount(folio) + ", refcount " + before + " -> " + after);
    }
    if (after == 0) allocator.freeFolio(folio);
    return after;
  }

  private long folioAddRmapPtes(int folio, int nr, String holder, Ctx ctx) {
    int before = pages.refcount(folio);
    pages.folioAddRmapPtes(folio, nr, holder);
    if (ctx.tracing()) {
      ctx.note("mapcount " + pages.folioMapcount(folio) + ", refcount " + before + " -> " + pages.refcount(folio));
    }
    return 0;
  }

  private long zapPteRmap(int first, int nr, String holder, Ctx ctx) {
    int freed = 0;
    for (int pfn = first; pfn < first + nr; pfn++) {
      int f = pages.pageFolio(pfn);
      int before = pages.refcount(f);
      pages.folioRemoveRmapPtes(f, 1);
      int after = pages.folioPutRefs(f, 1, holder, held);
      if (!held[0] || before <= 0) ctx.emit(new MmEvents.RefPut(holder, f, before, held[0]));
      if (after == 0 && before > 0) {
        allocator.freeFolio(f);
        freed++;
      }
    }
    if (ctx.tracing()) ctx.note(nr + " mappings gone, " + freed + " folio(s) freed");
    return freed;
  }

  private long folioRefFreeze(int folio, int count, Ctx ctx) {
    int before = pages.refcount(folio);
    boolean ok = pages.folioRefFreeze(folio, count);
    if (ctx.tracing()) {
      ctx.note(ok ? "refcount " + before + " -> 0 (frozen)" : "refcount " + before + ": fails");
    }
    return ok ? 1 : 0;
  }

  private long clearCompoundHead(int newHead, int newOrder, int origFolio, Ctx ctx) {
    pages.splitOffNewFolio(newHead, newOrder, origFolio);
    if (ctx.tracing()) {
      ctx.note(
          "page_folio("
              + hex(newHead)
              + ") now "
              + hex(newHead)
              + ", no longer "
              + hex(origFolio));
    }
    return 0;
  }

  private long folioSetOrder(int folio, int order, Ctx ctx) {
    int before = pages.folioOrder(folio);
    pages.folioSetOrder(folio, order);
    if (ctx.tracing()) ctx.note("order " + before + " -> " + order);
    return 0;
  }

  /** @param pageCache the mapping that owns all but the caller's one of the references; null for an anonymous folio */
  private long folioRefUnfreeze(int folio, int count, String pageCache, Ctx ctx) {
    String who = ctx.name(ctx.sender());
    // A patch may unfreeze a folio it never froze: the store overwrites what the count was.
    int was = pages.refcount(folio);
    int frozen = pages.folioRefUnfreeze(folio, count, who, pageCache);
    ctx.emit(new MmEvents.RefUnfreeze(who, folio, count, frozen));
    if (ctx.tracing()) ctx.note("refcount " + was + " -> " + count);
    return 0;
  }

  /** alloc_pages() for the sender: the head pfn, or -ENOMEM (injected for page tables). */
  private int alloc(int order, boolean pgtable, Ctx ctx) {
    if (pgtable && pgtableAllocFail > 0 && ctx.chance(pgtableAllocFail)) {
      if (ctx.tracing()) ctx.note("-ENOMEM (injected page-table allocation failure)");
      return Errno.ENOMEM;
    }
    int pfn = allocator.allocPages(order, ctx.name(ctx.sender()));
    if (pfn >= 0 && pgtable) pages.markPageTable(pfn);
    if (ctx.tracing()) ctx.note(pfn < 0 ? "-ENOMEM" : "got " + hex(pfn));
    return pfn < 0 ? Errno.ENOMEM : pfn;
  }

  /** A write of data to pfn through a mapping made under a reference on folio of generation gen. */
  private long pageWrite(int pfn, int folio, long gen, int data, Ctx ctx) {
    emitAccess(pfn, true, folio, gen, ctx);
    int before = pages.tag(pfn);
    pages.setTag(pfn, data);
    if (ctx.tracing() && before != data) {
      ctx.note(
          "overwrites " + PageTag.describe(before, ctx::name) + " with "
              + PageTag.describe(data, ctx::name));
    }
    return 0;
  }

  /**
   * A guest access through the EPT: gen is the page's generation when KVM mapped it, inode/index
   * the guest_memfd page the memslot says backs gfn (ghost, for the oracles).
   */
  private long guestAccess(int pfn, long gen, boolean write, int data, int vm, long gfn, int inode, int index, Ctx ctx) {
    int actual = pages.pageFolio(pfn);
    long genNow = pages.gen(pfn);
    String who = ctx.name(ctx.sender());
    // The EPT holds no folio reference: only the page's allocation matters, not its folio.
    ctx.emit(new MmEvents.PageAccess(who, pfn, write, actual, gen, actual, genNow));
    int mapping = genNow == 0 ? 0 : pages.pageMapping(pfn);
    int idx = mapping == 0 ? -1 : pages.pageIndex(pfn);
    ctx.emit(new MmEvents.GuestAccess(who, vm, gfn, pfn, inode, index, mapping, idx));
    int t = pages.tag(pfn);
    if (write) pages.setTag(pfn, data);
    if (ctx.tracing()) {
      ctx.note(write ? "writes " + PageTag.describe(data, ctx::name) : "reads " + PageTag.describe(t, ctx::name));
    }
    return t;
  }

  private long pageRead(int pfn, int folio, long gen, Ctx ctx) {
    emitAccess(pfn, false, folio, gen, ctx);
    int t = pages.tag(pfn);
    if (ctx.tracing()) ctx.note("reads " + PageTag.describe(t, ctx::name));
    return t;
  }

  private long directMapLoad(int pfn, boolean speculative, boolean tlbHit, Ctx ctx) {
    int t = pages.tag(pfn);
    ctx.emit(new MmEvents.DirectMapRead(ctx.name(ctx.sender()), pfn, t, speculative, tlbHit));
    if (ctx.tracing()) ctx.note("sees " + PageTag.describe(t, ctx::name));
    return t;
  }

  /** A store that no reference check applies to: through the direct map or a temporary mapping. */
  private long store(int pfn, int data, Ctx ctx) {
    int before = pages.tag(pfn);
    pages.setTag(pfn, data);
    if (ctx.tracing()) {
      ctx.note(
          (data == PageTag.NONE ? "zeroes " : "overwrites ")
              + PageTag.describe(before, ctx::name)
              + (data == PageTag.NONE ? "" : " with " + PageTag.describe(data, ctx::name)));
    }
    return 0;
  }

  /** @param holder who owns the new references in the ghost ledger (filemap_add_folio() takes them for the page cache) */
  private long folioRefAdd(int folio, int nr, String holder, Ctx ctx) {
    int before = pages.refcount(folio);
    pages.folioRefAdd(folio, nr, holder);
    if (ctx.tracing()) ctx.note("refcount " + before + " -> " + pages.refcount(folio));
    return 0;
  }

  /** One folio flag: a test with set null, else the set or clear; returns the old bit. */
  private long folioFlag(int folio, int flag, Boolean set, Ctx ctx) {
    boolean old =
        set == null
            ? pages.folioTestFlag(folio, flag)
            : pages.folioSetFlag(folio, flag, set);
    if (ctx.tracing()) {
      String f = StructPages.flagName(flag);
      ctx.note(set == null ? f + " " + (old ? "set" : "clear") : f + " " + (set ? "set" : "cleared"));
    }
    return old ? 1 : 0;
  }

  /** folio->mapping: a read, or with set a store of inode (0 = NULL) and of folio->index; returns the old value. */
  private long folioMapping(int folio, boolean set, int inode, int index, Ctx ctx) {
    int old = pages.folioMapping(folio);
    if (set) pages.folioSetMapping(folio, inode, index);
    if (set && old != 0 && inode == 0) {
      // Ghost: the pages leave the no-direct-map file; what is left in them is remanence.
      pages.leaveFile(folio);
    }
    if (ctx.tracing()) {
      ctx.note(set ? "mapping " + old + " -> " + inode : "mapping " + (old == 0 ? "NULL" : "inode " + old));
    }
    return old;
  }

  private void emitAccess(int pfn, boolean write, int folio, long gen, Ctx ctx) {
    ctx.emit(
        new MmEvents.PageAccess(
            ctx.name(ctx.sender()), pfn, write, folio, gen, pages.pageFolio(pfn), pages.gen(pfn)));
  }

  // ---- primitives: the atomic operations on struct pages and the page allocator

  @Primitive(value = "page_folio", args = "page", ret = "struct folio *", objects = "page",
      doc = "page_folio(): one read of the page's compound_head word, its folio at this instant (include/linux/page-flags.h)")
  long pageFolioStep(Call c) {
    return pageFolio(c.pfn(0), c.ctx());
  }

  @Primitive(value = "folio_try_get", args = "folio", ret = "bool", objects = "folio", decides = {"got", "fail"}, ref = Ref.GETS,
      doc = "folio_try_get(): add a reference unless the count is 0 (free or frozen), one atomic step (include/linux/page_ref.h)")
  long folioTryGetStep(Call c) {
    return gotRef(c, tryGet(c.pfn(0), 1, c.callerName(), c.ctx()));
  }

  /** A get's reply: 1 or 0, and as ghost what the caller now believes it pinned (the folio's generation and order). */
  private long gotRef(Call c, boolean ok) {
    c.ghost(RefBeliefs.pack(pages.gen(c.pfn(0)), pages.folioOrder(c.pfn(0))));
    return ok ? 1 : 0;
  }

  @Primitive(value = "folio_ref_try_add", args = {"folio", "count"}, ret = "bool", objects = "folio", decides = {"got", "fail"},
      ref = Ref.GETS, doc = "folio_ref_try_add(): add count references unless the count is 0 (include/linux/page_ref.h)")
  long folioRefTryAddStep(Call c) {
    return gotRef(c, tryGet(c.pfn(0), (int) c.arg(1), c.callerName(), c.ctx()));
  }

  @Primitive(value = "get_page_unless_zero", args = "page", ret = "bool", objects = "page", decides = {"got", "fail"},
      ref = Ref.GETS, doc = "get_page_unless_zero(): a reference on this page's own count unless it is 0 (a tail's always is)")
  long getPageUnlessZeroStep(Call c) {
    boolean ok = tryGet(c.pfn(0), 1, c.callerName(), c.ctx());
    if (c.ctx().tracing() && !ok) c.ctx().note("page refcount 0: fails");
    c.ghost(RefBeliefs.pack(pages.gen(c.pfn(0)), 0));
    return ok ? 1 : 0;
  }

  @Primitive(value = "folio_put", args = "folio", ret = "void", objects = "folio", ref = Ref.PUTS,
      doc = "folio_put(): drop a reference; the put that reaches 0 frees the folio to the allocator (mm/swap.c)")
  long folioPutStep(Call c) {
    return folioPut(c.pfn(0), 1, c.holderName(), c.ctx());
  }

  @Primitive(value = "folio_put_refs", args = {"folio", "refs"}, ret = "void", objects = "folio", ref = Ref.PUTS,
      doc = "folio_put_refs(): drop refs references at once (include/linux/mm.h)")
  long folioPutRefsStep(Call c) {
    return folioPut(c.pfn(0), (int) c.arg(1), c.holderName(), c.ctx());
  }

  @Primitive(value = "folio_ref_add", args = {"folio", "nr"}, ret = "void", objects = "folio",
      doc = "folio_ref_add(): add nr references; the caller holds one already (include/linux/page_ref.h)")
  long folioRefAddStep(Call c) {
    return folioRefAdd(c.pfn(0), (int) c.arg(1), c.holderName(), c.ctx());
  }

  @Primitive(value = "folio_lock", args = "folio", ret = "void", objects = "folio", blocks = true,
      doc = "folio_lock(): returns once the caller holds PG_locked; waiters queue (mm/filemap.c)")
  long folioLockStep(Call c) {
    folioLock(c.pfn(0), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "folio_trylock", args = "folio", ret = "bool", objects = "folio", decides = {"locked", "busy"},
      doc = "folio_trylock(): PG_locked if it was clear; never waits (include/linux/pagemap.h)")
  long folioTrylockStep(Call c) {
    int f = c.pfn(0);
    if (!pages.folioTrylock(f)) {
      if (c.ctx().tracing()) c.ctx().note("locked by someone else");
      return 0;
    }
    lockHolder.put(f, c.caller());
    c.ctx().emit(new gmemsim.model.lock.LockEvents.Acquired(folioLockName(f), c.callerName()));
    if (c.ctx().tracing()) c.ctx().note("PG_locked set");
    return 1;
  }

  @Primitive(value = "folio_unlock", args = "folio", ret = "void", objects = "folio", releasesLock = true,
      doc = "folio_unlock(): clears PG_locked and wakes the first waiter (mm/filemap.c)")
  long folioUnlockStep(Call c) {
    return folioUnlock(c.pfn(0), c.ctx());
  }

  @Primitive(value = "can_split_folio", args = {"folio", "extra_pins"}, ret = "bool", objects = "folio",
      decides = {"can split", "busy"},
      doc = "can_split_folio(): the racy pre-check mapcount == refcount - extra_pins - 1 (mm/huge_memory.c)")
  long canSplitFolioStep(Call c) {
    return canSplitFolio(c.pfn(0), (int) c.arg(1), c.ctx());
  }

  @Primitive(value = "folio_ref_freeze", args = {"folio", "count"}, ret = "bool", objects = "folio", decides = {"frozen", "fail"},
      doc = "folio_ref_freeze(): CAS of the refcount from count to 0; every try-get fails while frozen (include/linux/page_ref.h)")
  long folioRefFreezeStep(Call c) {
    return folioRefFreeze(c.pfn(0), (int) c.arg(1), c.ctx());
  }

  @Primitive(value = "clear_compound_head", args = {"page", "new_order", "folio"}, ret = "void", objects = "page",
      doc = "one new folio of __split_folio_to_order(): flags and mapping copied, clear_compound_head() of its head, its"
          + " tails prepared when new_order > 0 (mm/huge_memory.c; every page is frozen, so one step)")
  long clearCompoundHeadStep(Call c) {
    return clearCompoundHead(c.pfn(0), (int) c.arg(1), c.pfn(2), c.ctx());
  }

  @Primitive(value = "folio_set_order", args = {"folio", "order"}, ret = "void", objects = "folio",
      doc = "folio_set_order() of the original folio once its tails are split off (mm/internal.h)")
  long folioSetOrderStep(Call c) {
    return folioSetOrder(c.pfn(0), (int) c.arg(1), c.ctx());
  }

  @Primitive(value = "folio_ref_unfreeze", args = {"folio", "count"}, ret = "void", objects = "folio",
      doc = "folio_ref_unfreeze(): store-release of count into a frozen folio; with __ghost_holder(mapping) all but one"
          + " of them are the page cache's (include/linux/page_ref.h)")
  long folioRefUnfreezeStep(Call c) {
    String cache = c.holderName().equals(c.callerName()) ? null : c.holderName();
    return folioRefUnfreeze(c.pfn(0), (int) c.arg(1), cache, c.ctx());
  }

  @Primitive(value = "folio_ref_count", args = "folio", ret = "int", objects = "folio",
      doc = "folio_ref_count(): an atomic read of the folio's reference count (include/linux/page_ref.h)")
  long folioRefCountStep(Call c) {
    int n = pages.refcount(c.pfn(0));
    if (c.ctx().tracing()) c.ctx().note("refcount " + n);
    return n;
  }

  @Primitive(value = "alloc_pages", args = {"gfp", "order"}, ret = "struct page *", route = Route.SINGLETON, ref = Ref.GETS_RESULT,
      doc = "alloc_pages(): a folio of 2^order pages from the first memory range's pcp list or buddy, or NULL (mm/page_alloc.c)")
  long allocPagesStep(Call c) {
    return allocated(c, alloc((int) c.arg(1), false, c.ctx()), (int) c.arg(1));
  }

  @Primitive(value = "alloc_pages_node", args = {"nid", "gfp", "order"}, ret = "struct page *", route = Route.NODE,
      ref = Ref.GETS_RESULT, doc = "alloc_pages_node(): as alloc_pages() from memory range nid (the model's NUMA nodes)")
  long allocPagesNodeStep(Call c) {
    return allocated(c, alloc((int) c.arg(2), false, c.ctx()), (int) c.arg(2));
  }

  @Primitive(value = "pagetable_alloc", args = {"gfp", "order"}, ret = "struct page *", route = Route.SINGLETON,
      ref = Ref.GETS_RESULT,
      doc = "pagetable_alloc(): a page-table page, or NULL; fails at faults.pgtable-alloc-fail (include/linux/mm.h)")
  long pagetableAllocStep(Call c) {
    return allocated(c, alloc((int) c.arg(1), true, c.ctx()), (int) c.arg(1));
  }

  /** An allocation's reply: the head (NULL on failure, as alloc_pages() returns), its generation and order as ghost. */
  private long allocated(Call c, int pfn, int order) {
    if (pfn < 0) return 0;
    c.ghost(RefBeliefs.pack(pages.gen(pfn), order));
    return pfn;
  }

  @Primitive(value = "folio_order", args = "folio", ret = "int", objects = "folio",
      doc = "folio_order(): the order the folio's head records (include/linux/mm.h)")
  long folioOrderStep(Call c) {
    int o = pages.folioOrder(c.pfn(0));
    if (c.ctx().tracing()) c.ctx().note("order " + o);
    return o;
  }

  @Primitive(value = "folio_index", args = "folio", ret = "unsigned long", objects = "folio",
      doc = "folio->index: the file index of the folio's first page (include/linux/pagemap.h)")
  long folioIndexStep(Call c) {
    return pages.pageIndex(c.pfn(0));
  }

  @Primitive(value = "folio_get_anon_vma", args = "folio", ret = "bool", objects = "folio", decides = {"pinned", "NULL"},
      doc = "folio_get_anon_vma(): pins the anon_vma of a mapped anonymous folio; NULL (0) for an unmapped or file one (mm/rmap.c)")
  long folioGetAnonVmaStep(Call c) {
    return folioGetAnonVma(c.pfn(0), c.ctx());
  }

  @Primitive(value = "folio_remove_rmap_ptes_put", args = {"folio", "nr", "mm"}, ret = "int", objects = "folio",
      doc = "try_to_migrate_one() after its PTE writes: folio_remove_rmap_ptes() and the nr mappings' folio_put() of"
          + " mm's references, one step (nothing between them reads the folio; mm/rmap.c)")
  long folioRemoveRmapPtesPutStep(Call c) {
    return folioRemoveRmapPtesPut(c.pfn(0), (int) c.arg(1), mmHolder(c, 2), c.ctx());
  }

  @Primitive(value = "folio_get_add_anon_rmap_ptes", args = {"folio", "nr", "mm"}, ret = "void", objects = "folio",
      doc = "remove_migration_pte() before its PTE writes: folio_get() and folio_add_anon_rmap_ptes() for nr pages,"
          + " the references mm's (mm/migrate.c)")
  long folioAddRmapPtesStep(Call c) {
    return folioAddRmapPtes(c.pfn(0), (int) c.arg(1), mmHolder(c, 2), c.ctx());
  }

  @Primitive(value = "zap_pte_range_rmap_put", args = {"page", "nr", "mm"}, ret = "int", objects = "page",
      doc = "zap_pte_range() after the flush: per page folio_remove_rmap_pte() and the mapping's folio_put() (mm/memory.c,"
          + " mm/mmu_gather.c); returns the folios freed")
  long zapPteRmapStep(Call c) {
    return zapPteRmap(c.pfn(0), (int) c.arg(1), mmHolder(c, 2), c.ctx());
  }

  @Primitive(value = "TestSetPageHWPoison", args = "page", ret = "bool", objects = "page",
      doc = "memory_failure(): TestSetPageHWPoison() of the frame a machine check reported (mm/memory-failure.c)")
  long testSetPageHwPoisonStep(Call c) {
    return testSetPageHwPoison(c.pfn(0), c.ctx());
  }

  @Primitive(value = "folio_test_uptodate", args = "folio", ret = "bool", objects = "folio", decides = {"uptodate", "not uptodate"},
      doc = "folio_test_uptodate(): for guest_memfd, whether the folio is prepared (zeroed, handed to the arch hook)")
  long folioTestUptodateStep(Call c) {
    return flag(c, StructPages.PG_UPTODATE, null);
  }

  @Primitive(value = "folio_mark_uptodate", args = "folio", ret = "void", objects = "folio",
      doc = "folio_mark_uptodate(): sets PG_uptodate (include/linux/page-flags.h)")
  long folioMarkUptodateStep(Call c) {
    return flag(c, StructPages.PG_UPTODATE, true);
  }

  @Primitive(value = "folio_test_hwpoison", args = "folio", ret = "bool", objects = "folio", decides = {"poisoned", "clean"},
      doc = "folio_test_hwpoison(): whether a machine check or a failed restore poisoned the folio")
  long folioTestHwpoisonStep(Call c) {
    return flag(c, StructPages.PG_HWPOISON, null);
  }

  @Primitive(value = "folio_set_hwpoison", args = "folio", ret = "void", objects = "folio",
      doc = "folio_set_hwpoison(): the page must never be used again; freeing it leaks it on purpose")
  long folioSetHwpoisonStep(Call c) {
    return flag(c, StructPages.PG_HWPOISON, true);
  }

  @Primitive(value = "folio_test_private", args = "folio", ret = "bool", objects = "folio", decides = {"private", "not private"},
      doc = "folio_test_private(): PG_private (RFC v3: the direct map was modified)")
  long folioTestPrivateStep(Call c) {
    return flag(c, StructPages.PG_PRIVATE, null);
  }

  @Primitive(value = "folio_set_private", args = "folio", ret = "void", objects = "folio",
      doc = "folio_set_private(): sets PG_private")
  long folioSetPrivateStep(Call c) {
    return flag(c, StructPages.PG_PRIVATE, true);
  }

  @Primitive(value = "folio_clear_private", args = "folio", ret = "void", objects = "folio",
      doc = "folio_clear_private(): clears PG_private")
  long folioClearPrivateStep(Call c) {
    return flag(c, StructPages.PG_PRIVATE, false);
  }

  @Primitive(value = "kvm_gmem_folio_no_direct_map", args = "folio", ret = "bool", objects = "folio",
      decides = {"zapped", "mapped"},
      doc = "the direct-map series' per-folio bit in folio->private: the folio is out of the direct map (v6-v12)")
  long folioTestNoDirectMapStep(Call c) {
    return flag(c, StructPages.FOLIO_PRIVATE_NO_DIRECT_MAP, null);
  }

  @Primitive(value = "kvm_gmem_folio_set_no_direct_map", args = "folio", ret = "void", objects = "folio",
      doc = "sets the per-folio no-direct-map bit in folio->private (the direct-map series)")
  long folioSetNoDirectMapStep(Call c) {
    return flag(c, StructPages.FOLIO_PRIVATE_NO_DIRECT_MAP, true);
  }

  @Primitive(value = "kvm_gmem_folio_clear_no_direct_map", args = "folio", ret = "void", objects = "folio",
      doc = "clears the per-folio no-direct-map bit (the direct-map series' free_folio)")
  long folioClearNoDirectMapStep(Call c) {
    return flag(c, StructPages.FOLIO_PRIVATE_NO_DIRECT_MAP, false);
  }

  private long flag(Call c, int flag, Boolean set) {
    return folioFlag(c.pfn(0), flag, set, c.ctx());
  }

  @Primitive(value = "folio_mapping", args = "folio", ret = "long", objects = "folio",
      doc = "a read of folio->mapping: the inode's id, or 0 (NULL) once truncation removed the folio (the re-check after folio_lock())")
  long folioMappingStep(Call c) {
    return folioMapping(c.pfn(0), false, 0, 0, c.ctx());
  }

  @Primitive(value = "folio_set_mapping", args = {"folio", "mapping", "index"}, ret = "long", objects = "folio",
      doc = "folio->mapping = mapping and folio->index = index (the inode's id, or 0 as page_cache_delete() stores NULL);"
          + " returns the old mapping")
  long folioSetMappingStep(Call c) {
    return folioMapping(c.pfn(0), true, (int) c.arg(1), (int) c.arg(2), c.ctx());
  }

  @Primitive(value = "__kmap_write", args = {"page", "data"}, ret = "void", objects = "page", ref = Ref.USES,
      doc = "model: the kernel stores data into page through a mapping (kmap_local_page()) it made under a reference it"
          + " believes pins the page")
  long kmapWriteStep(Call c) {
    return writeUnderReference(c);
  }

  /** A write of data (arg 1) to page (arg 0) under the reference the step's ghosts carry. */
  private long writeUnderReference(Call c) {
    return pageWrite(c.pfn(0), (int) c.ghost(0), c.ghost(1), (int) c.arg(1), c.ctx());
  }

  @Primitive(value = "__kmap_read", args = "page", ret = "int", objects = "page", ref = Ref.USES,
      doc = "model: the kernel loads from page under a reference it believes pins the page; returns the content it sees")
  long kmapReadStep(Call c) {
    return pageRead(c.pfn(0), (int) c.ghost(0), c.ghost(1), c.ctx());
  }

  @Primitive(value = "__guest_write", args = {"page", "data"}, ret = "void", objects = "page", ref = Ref.USES,
      doc = "model: the guest stores data into page through the EPT mapping KVM made under the reference the guest's"
          + " memory holds (seed 001's hand-off; no EPT is modelled there)")
  long guestWriteStep(Call c) {
    return writeUnderReference(c);
  }

  @Primitive(value = "__kvm_vcpu_map_write", args = {"page", "data"}, ret = "void", objects = "page", ref = Ref.USES,
      doc = "model: KVM writes guest data into page through kvm_vcpu_map()'s mapping, under the reference it took")
  long kvmVcpuMapWriteStep(Call c) {
    return writeUnderReference(c);
  }

  @Primitive(value = "__vmm_write", args = {"page", "data"}, ret = "void", objects = "page", ref = Ref.USES,
      doc = "model: the VMM's memcpy() stores data into page through its mmap() of the file, under the reference the"
          + " page's PTE holds")
  long vmmWriteStep(Call c) {
    return writeUnderReference(c);
  }

  @Primitive(value = "__vmm_read", args = "page", ret = "int", objects = "page", ref = Ref.USES,
      doc = "model: the VMM loads from page through its mmap() of the file, under the reference the page's PTE holds;"
          + " returns the content it sees")
  long vmmReadStep(Call c) {
    return pageRead(c.pfn(0), (int) c.ghost(0), c.ghost(1), c.ctx());
  }

  @Primitive(value = "__tdh_mem_page_add_copy", args = {"page", "data"}, ret = "void", objects = "page",
      doc = "TDH.MEM.PAGE.ADD's copy of the source page (data) into the private page: the TDX module's own mapping, no"
          + " direct-map or TLB entry of this kernel (arch/x86/virt/vmx/tdx/tdx.c)")
  long tdhMemPageAddCopyStep(Call c) {
    return store(c.pfn(0), (int) c.arg(1), c.ctx());
  }

  @Primitive(value = "__mermap_write", args = {"page", "data"}, ret = "void", objects = "page",
      doc = "model: a store through a temporary local mapping (kmap_local/mermap of an unmapped page): no direct-map or"
          + " TLB entry another CPU could use")
  long tempMapWriteStep(Call c) {
    return store(c.pfn(0), (int) c.arg(1), c.ctx());
  }

  @Primitive(value = "__direct_map_load", args = {"page", "speculative", "tlb_hit"}, ret = "int", objects = "page",
      doc = "hardware: the data access of a load through the direct map, with the translation the CPU got (TLB or walk);"
          + " returns the content it sees")
  long directMapLoadStep(Call c) {
    return directMapLoad(c.pfn(0), c.arg(1) != 0, c.arg(2) != 0, c.ctx());
  }

  @Primitive(value = "__direct_map_store", args = {"page", "tlb_hit", "data"}, ret = "void", objects = "page",
      doc = "hardware: the data access of a store through the direct map (clear_page(), copy_from_user() into a kmap)")
  long directMapStoreStep(Call c) {
    return store(c.pfn(0), (int) c.arg(2), c.ctx());
  }

  @Primitive(value = "__guest_access", args = {"page", "write", "data", "vm_id", "gfn", "mapping", "index"}, ret = "int",
      objects = "page", readsGhost = true,
      doc = "hardware: a guest load or store translated through the EPT (or a cached guest translation) to page; the ghost"
          + " of page is its allocation when KVM mapped it, mapping/index the guest_memfd page the memslot names")
  long guestAccessStep(Call c) {
    int vm = (int) c.arg(3);
    return guestAccess(c.pfn(0), c.ghost(0), c.arg(1) != 0, (int) c.arg(2), vm, c.arg(4), (int) c.arg(5), (int) c.arg(6),
        c.ctx());
  }

  /** The ledger's name for the references of the mm a handle names. */
  private static String mmHolder(Call c, int arg) {
    return c.ctx().name(gmemsim.model.prim.Handles.component(c.arg(arg)));
  }

  @Override
  public void onQuiescence(Ctx ctx) {
    pages.forEachHeldFolio(pfn -> {
      ctx.emit(new MmEvents.RefLeftover(pfn, pages.folioOrder(pfn), pages.refcount(pfn), pages.holders(pfn)));
      if (pages.isLocked(pfn)) {
        ctx.emit(new gmemsim.model.BalanceEvents.LeftUnbalanced(name, "folio " + hex(pfn)
            + " is still locked (PG_locked) when the run ends: a folio_lock() without its folio_unlock()",
            java.util.List.of(), java.util.List.of(hex(pfn))));
      }
    });
  }
}
