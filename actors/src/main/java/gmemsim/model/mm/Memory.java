package gmemsim.model.mm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.Msg;
import gmemsim.model.exec.RefBeliefs;
import gmemsim.model.prim.Call;
import gmemsim.model.prim.Ref;
import gmemsim.model.prim.Primitive;
import gmemsim.model.prim.Primitives;
import gmemsim.model.prim.Route;
import gmemsim.model.prim.Step;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The owner of one range of struct pages and its page allocator. Each request is handled
 * atomically, exactly as the kernel operation it names is atomic with respect to other CPUs.
 */
public final class Memory implements Component {
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

  @Override
  public void onMessage(Msg m, Ctx ctx) {
    if (m instanceof Step s) {
      Primitives.handle(this, s, ctx);
      return;
    }
    if (!(m instanceof MemoryProtocol.Request r)) {
      throw new IllegalArgumentException(name + " cannot handle " + m.step());
    }
    r.applyTo(this, ctx);
  }

  void pageFolio(MemoryProtocol.PageFolio r, Ctx ctx) {
    int f = pages.pageFolio(r.pfn());
    if (ctx.tracing()) ctx.note("folio " + hex(f) + (f == r.pfn() ? "" : " (a tail of it)"));
    ctx.reply(Ret.of(f));
  }

  void folioTryGet(MemoryProtocol.FolioTryGet r, Ctx ctx) {
    boolean ok = tryGet(r.folio(), r.nr(), ctx.name(ctx.sender()), ctx);
    ctx.reply(new Ret(ok ? 1 : 0, pages.gen(r.folio())));
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

  void getPageUnlessZero(MemoryProtocol.GetPageUnlessZero r, Ctx ctx) {
    boolean ok = tryGet(r.pfn(), 1, ctx.name(ctx.sender()), ctx);
    ctx.reply(new Ret(ok ? 1 : 0, pages.gen(r.pfn())));
  }

  void folioPut(MemoryProtocol.FolioPut r, Ctx ctx) {
    String who = r.holder() != null ? r.holder() : ctx.name(ctx.sender());
    int before = pages.refcount(r.folio());
    int after = pages.folioPutRefs(r.folio(), r.nr(), who, held);
    ctx.emit(new MmEvents.RefPut(who, r.folio(), before, held[0]));
    boolean frees = after == 0 && before > 0 && !pages.isFree(r.folio());
    if (ctx.tracing()) {
      ctx.note(
          "refcount "
              + before
              + " -> "
              + after
              + (frees ? ": freed to the allocator" : "")
              + (held[0] ? "" : " (" + who + " held no reference on it)"));
    }
    if (frees && pages.folioTestFlag(r.folio(), StructPages.PG_HWPOISON)) {
      // free_pages_prepare(): a poisoned page never reaches the pcp lists or the buddy. A page
      // a machine check poisoned is lost to the hardware error, which no kernel could prevent.
      if (!pages.machineCheck(r.folio())) {
        ctx.emit(new MmEvents.MemoryLost(who, r.folio(), pages.folioOrder(r.folio()), "HWPoison page leaked on free"));
      }
      if (ctx.tracing()) ctx.note("PG_hwpoison: the page is never returned to the allocator");
    } else if (frees) {
      allocator.freeFolio(r.folio());
    }
    ctx.reply(Ret.of(after));
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

  void folioLock(MemoryProtocol.FolioLock r, Ctx ctx) {
    if (pages.folioTrylock(r.folio())) {
      lockHolder.put(r.folio(), ctx.sender());
      ctx.emit(new gmemsim.model.lock.LockEvents.Acquired(folioLockName(r.folio()), ctx.name(ctx.sender())));
      if (ctx.tracing()) ctx.note("PG_locked set");
      ctx.reply(Ret.of(0));
    } else {
      lockWaiters.computeIfAbsent(r.folio(), k -> new ArrayDeque<>()).add(ctx.sender());
      ctx.emit(new gmemsim.model.lock.LockEvents.Waits(folioLockName(r.folio()), ctx.name(ctx.sender())));
      if (ctx.tracing()) ctx.note("locked by someone else: " + ctx.name(ctx.sender()) + " sleeps");
    }
  }

  void folioUnlock(MemoryProtocol.FolioUnlock r, Ctx ctx) {
    // The folio lock has no owner upstream: whoever unlocks releases it for its holder.
    Integer holder = lockHolder.remove(r.folio());
    if (holder != null) {
      ctx.emit(new gmemsim.model.lock.LockEvents.Released(folioLockName(r.folio()), ctx.name(holder)));
    }
    ArrayDeque<Integer> q = lockWaiters.get(r.folio());
    if (q != null && !q.isEmpty()) {
      int next = q.poll();
      lockHolder.put(r.folio(), next);
      ctx.emit(new gmemsim.model.lock.LockEvents.Acquired(folioLockName(r.folio()), ctx.name(next)));
      if (ctx.tracing()) ctx.note("PG_locked handed to " + ctx.name(next));
      ctx.send(next, Ret.of(0));
    } else {
      pages.folioUnlock(r.folio());
      if (ctx.tracing()) ctx.note("PG_locked cleared");
    }
    ctx.reply(Ret.of(0));
  }

  void canSplitFolio(MemoryProtocol.CanSplitFolio r, Ctx ctx) {
    // can_split_folio(): every reference but the caller's and the extra pins is a mapping's.
    int rc = pages.refcount(r.folio());
    int mc = pages.folioMapcount(r.folio());
    boolean ok = mc == rc - r.extraPins() - 1;
    if (ctx.tracing()) {
      ctx.note("refcount " + rc + ", mapcount " + mc + (ok ? ": can split" : ": extra reference"));
    }
    ctx.reply(Ret.of(ok ? 1 : 0));
  }

  void testSetPageHwPoison(MemoryProtocol.TestSetPageHwPoison r, Ctx ctx) {
    boolean old = pages.folioSetFlag(r.pfn(), StructPages.PG_HWPOISON, true);
    pages.markMachineCheck(r.pfn());
    if (ctx.tracing()) ctx.note(old ? "already poisoned" : "PG_hwpoison set (machine check)");
    ctx.reply(Ret.of(old ? 1 : 0));
  }

  void folioGetAnonVma(MemoryProtocol.FolioGetAnonVma r, Ctx ctx) {
    boolean ok = pages.folioTestAnon(r.folio()) && pages.folioMapcount(r.folio()) > 0;
    if (ctx.tracing()) {
      ctx.note(ok ? "anon_vma pinned" : pages.folioTestAnon(r.folio()) ? "not mapped: NULL" : "not anonymous: NULL");
    }
    ctx.reply(Ret.of(ok ? 1 : 0));
  }

  void folioRemoveRmapPtesPut(MemoryProtocol.FolioRemoveRmapPtesPut r, Ctx ctx) {
    int before = pages.refcount(r.folio());
    pages.folioRemoveRmapPtes(r.folio(), r.nr());
    int after = pages.folioPutRefs(r.folio(), r.nr(), r.holder(), held);
    ctx.emit(new MmEvents.RefPut(r.holder(), r.folio(), before, held[0]));
    if (ctx.tracing()) {
      ctx.note("mapcount " + pages.folioMapcount(r.folio()) + ", refcount " + before + " -> " + after);
    }
    if (after == 0) allocator.freeFolio(r.folio());
    ctx.reply(Ret.of(after));
  }

  void folioAddRmapPtes(MemoryProtocol.FolioAddRmapPtes r, Ctx ctx) {
    int before = pages.refcount(r.folio());
    pages.folioAddRmapPtes(r.folio(), r.nr(), r.holder());
    if (ctx.tracing()) {
      ctx.note("mapcount " + pages.folioMapcount(r.folio()) + ", refcount " + before + " -> " + pages.refcount(r.folio()));
    }
    ctx.reply(Ret.of(0));
  }

  void zapPteRmap(MemoryProtocol.ZapPteRmap r, Ctx ctx) {
    int freed = 0;
    for (int pfn = r.pfn(); pfn < r.pfn() + r.nr(); pfn++) {
      int f = pages.pageFolio(pfn);
      int before = pages.refcount(f);
      pages.folioRemoveRmapPtes(f, 1);
      int after = pages.folioPutRefs(f, 1, r.holder(), held);
      if (!held[0] || before <= 0) ctx.emit(new MmEvents.RefPut(r.holder(), f, before, held[0]));
      if (after == 0 && before > 0) {
        allocator.freeFolio(f);
        freed++;
      }
    }
    if (ctx.tracing()) ctx.note(r.nr() + " mappings gone, " + freed + " folio(s) freed");
    ctx.reply(Ret.of(freed));
  }

  void folioRefFreeze(MemoryProtocol.FolioRefFreeze r, Ctx ctx) {
    int before = pages.refcount(r.folio());
    boolean ok = pages.folioRefFreeze(r.folio(), r.count());
    if (ctx.tracing()) {
      ctx.note(ok ? "refcount " + before + " -> 0 (frozen)" : "refcount " + before + ": fails");
    }
    ctx.reply(Ret.of(ok ? 1 : 0));
  }

  void clearCompoundHead(MemoryProtocol.ClearCompoundHead r, Ctx ctx) {
    pages.splitOffNewFolio(r.newHead(), r.newOrder(), r.origFolio());
    if (ctx.tracing()) {
      ctx.note(
          "page_folio("
              + hex(r.newHead())
              + ") now "
              + hex(r.newHead())
              + ", no longer "
              + hex(r.origFolio()));
    }
    ctx.reply(Ret.of(0));
  }

  void folioSetOrder(MemoryProtocol.FolioSetOrder r, Ctx ctx) {
    int before = pages.folioOrder(r.folio());
    pages.folioSetOrder(r.folio(), r.order());
    if (ctx.tracing()) ctx.note("order " + before + " -> " + r.order());
    ctx.reply(Ret.of(0));
  }

  void folioRefUnfreeze(MemoryProtocol.FolioRefUnfreeze r, Ctx ctx) {
    String who = ctx.name(ctx.sender());
    // A patch may unfreeze a folio it never froze: the store overwrites what the count was.
    int was = pages.refcount(r.folio());
    int frozen = pages.folioRefUnfreeze(r.folio(), r.count(), who, r.pageCache());
    ctx.emit(new MmEvents.RefUnfreeze(who, r.folio(), r.count(), frozen));
    if (ctx.tracing()) ctx.note("refcount " + was + " -> " + r.count());
    ctx.reply(Ret.of(0));
  }

  void allocPages(MemoryProtocol.AllocPages r, Ctx ctx) {
    int pfn = alloc(r.order(), r.pgtable(), ctx);
    ctx.reply(pfn < 0 ? Ret.of(Errno.ENOMEM) : new Ret(pfn, pages.gen(pfn)));
  }

  /** alloc_pages() for the sender: the head pfn, or -ENOMEM (injected for page tables). */
  private int alloc(int order, boolean pgtable, Ctx ctx) {
    if (pgtable && pgtableAllocFail > 0 && ctx.rng().nextDouble() < pgtableAllocFail) {
      if (ctx.tracing()) ctx.note("-ENOMEM (injected page-table allocation failure)");
      return Errno.ENOMEM;
    }
    int pfn = allocator.allocPages(order, ctx.name(ctx.sender()));
    if (pfn >= 0 && pgtable) pages.markPageTable(pfn);
    if (ctx.tracing()) ctx.note(pfn < 0 ? "-ENOMEM" : "got " + hex(pfn));
    return pfn < 0 ? Errno.ENOMEM : pfn;
  }

  void pageWrite(MemoryProtocol.PageWrite r, Ctx ctx) {
    emitAccess(r.pfn(), true, r.folio(), r.gen(), ctx);
    int before = pages.tag(r.pfn());
    pages.setTag(r.pfn(), r.data());
    if (ctx.tracing() && before != r.data()) {
      ctx.note(
          "overwrites " + PageTag.describe(before, ctx::name) + " with "
              + PageTag.describe(r.data(), ctx::name));
    }
    ctx.reply(Ret.of(0));
  }

  void guestAccess(MemoryProtocol.GuestAccess r, Ctx ctx) {
    int actual = pages.pageFolio(r.pfn());
    long genNow = pages.gen(r.pfn());
    String who = ctx.name(ctx.sender());
    // The EPT holds no folio reference: only the page's allocation matters, not its folio.
    ctx.emit(new MmEvents.PageAccess(who, r.pfn(), r.write(), actual, r.gen(), actual, genNow));
    int mapping = genNow == 0 ? 0 : pages.pageMapping(r.pfn());
    int index = mapping == 0 ? -1 : pages.pageIndex(r.pfn());
    ctx.emit(new MmEvents.GuestAccess(who, r.vm(), r.gfn(), r.pfn(), r.inode(), r.index(), mapping, index));
    int t = pages.tag(r.pfn());
    if (r.write()) pages.setTag(r.pfn(), r.data());
    if (ctx.tracing()) {
      ctx.note(r.write() ? "writes " + PageTag.describe(r.data(), ctx::name) : "reads " + PageTag.describe(t, ctx::name));
    }
    ctx.reply(Ret.of(t));
  }

  void pageRead(MemoryProtocol.PageRead r, Ctx ctx) {
    emitAccess(r.pfn(), false, r.folio(), r.gen(), ctx);
    int t = pages.tag(r.pfn());
    if (ctx.tracing()) ctx.note("reads " + PageTag.describe(t, ctx::name));
    ctx.reply(Ret.of(t));
  }

  void directMapLoad(MemoryProtocol.DirectMapLoad r, Ctx ctx) {
    int t = pages.tag(r.pfn());
    ctx.emit(new MmEvents.DirectMapRead(ctx.name(ctx.sender()), r.pfn(), t, r.speculative(), r.tlbHit()));
    if (ctx.tracing()) ctx.note("sees " + PageTag.describe(t, ctx::name));
    ctx.reply(Ret.of(t));
  }

  void directMapStore(MemoryProtocol.DirectMapStore r, Ctx ctx) {
    store(r.pfn(), r.data(), ctx);
  }

  void tempMapWrite(MemoryProtocol.TempMapWrite r, Ctx ctx) {
    store(r.pfn(), r.data(), ctx);
  }

  private void store(int pfn, int data, Ctx ctx) {
    int before = pages.tag(pfn);
    pages.setTag(pfn, data);
    if (ctx.tracing()) {
      ctx.note(
          (data == PageTag.NONE ? "zeroes " : "overwrites ")
              + PageTag.describe(before, ctx::name)
              + (data == PageTag.NONE ? "" : " with " + PageTag.describe(data, ctx::name)));
    }
    ctx.reply(Ret.of(0));
  }

  void folioRefAdd(MemoryProtocol.FolioRefAdd r, Ctx ctx) {
    int before = pages.refcount(r.folio());
    pages.folioRefAdd(r.folio(), r.nr(), r.holder());
    if (ctx.tracing()) ctx.note("refcount " + before + " -> " + pages.refcount(r.folio()));
    ctx.reply(Ret.of(0));
  }

  void folioFlag(MemoryProtocol.FolioFlag r, Ctx ctx) {
    boolean old =
        r.set() == null
            ? pages.folioTestFlag(r.folio(), r.flag())
            : pages.folioSetFlag(r.folio(), r.flag(), r.set());
    if (ctx.tracing()) {
      String f = StructPages.flagName(r.flag());
      ctx.note(r.set() == null ? f + " " + (old ? "set" : "clear") : f + " " + (r.set() ? "set" : "cleared"));
    }
    ctx.reply(Ret.of(old ? 1 : 0));
  }

  void folioMapping(MemoryProtocol.FolioMapping r, Ctx ctx) {
    int old = pages.folioMapping(r.folio());
    if (r.set()) pages.folioSetMapping(r.folio(), r.inode(), r.index());
    if (r.set() && old != 0 && r.inode() == 0) {
      // Ghost: the pages leave the no-direct-map file; what is left in them is remanence.
      pages.leaveFile(r.folio());
    }
    if (ctx.tracing()) {
      ctx.note(r.set() ? "mapping " + old + " -> " + r.inode() : "mapping " + (old == 0 ? "NULL" : "inode " + old));
    }
    ctx.reply(Ret.of(old));
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
    pageFolio(new MemoryProtocol.PageFolio(c.pfn(0)), c.ctx());
    return Call.LATER;
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
    folioPut(new MemoryProtocol.FolioPut(c.pfn(0), 1, c.holderName()), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "folio_put_refs", args = {"folio", "refs"}, ret = "void", objects = "folio", ref = Ref.PUTS,
      doc = "folio_put_refs(): drop refs references at once (include/linux/mm.h)")
  long folioPutRefsStep(Call c) {
    folioPut(new MemoryProtocol.FolioPut(c.pfn(0), (int) c.arg(1), c.holderName()), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "folio_ref_add", args = {"folio", "nr"}, ret = "void", objects = "folio",
      doc = "folio_ref_add(): add nr references; the caller holds one already (include/linux/page_ref.h)")
  long folioRefAddStep(Call c) {
    folioRefAdd(new MemoryProtocol.FolioRefAdd(c.pfn(0), (int) c.arg(1), c.holderName()), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "folio_lock", args = "folio", ret = "void", objects = "folio", blocks = true,
      doc = "folio_lock(): returns once the caller holds PG_locked; waiters queue (mm/filemap.c)")
  long folioLockStep(Call c) {
    folioLock(new MemoryProtocol.FolioLock(c.pfn(0)), c.ctx());
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
    folioUnlock(new MemoryProtocol.FolioUnlock(c.pfn(0)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "can_split_folio", args = {"folio", "extra_pins"}, ret = "bool", objects = "folio",
      decides = {"can split", "busy"},
      doc = "can_split_folio(): the racy pre-check mapcount == refcount - extra_pins - 1 (mm/huge_memory.c)")
  long canSplitFolioStep(Call c) {
    canSplitFolio(new MemoryProtocol.CanSplitFolio(c.pfn(0), (int) c.arg(1)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "folio_ref_freeze", args = {"folio", "count"}, ret = "bool", objects = "folio", decides = {"frozen", "fail"},
      doc = "folio_ref_freeze(): CAS of the refcount from count to 0; every try-get fails while frozen (include/linux/page_ref.h)")
  long folioRefFreezeStep(Call c) {
    folioRefFreeze(new MemoryProtocol.FolioRefFreeze(c.pfn(0), (int) c.arg(1)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "clear_compound_head", args = {"page", "new_order", "folio"}, ret = "void", objects = "page",
      doc = "one new folio of __split_folio_to_order(): flags and mapping copied, clear_compound_head() of its head, its"
          + " tails prepared when new_order > 0 (mm/huge_memory.c; every page is frozen, so one step)")
  long clearCompoundHeadStep(Call c) {
    clearCompoundHead(new MemoryProtocol.ClearCompoundHead(c.pfn(0), (int) c.arg(1), c.pfn(2)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "folio_set_order", args = {"folio", "order"}, ret = "void", objects = "folio",
      doc = "folio_set_order() of the original folio once its tails are split off (mm/internal.h)")
  long folioSetOrderStep(Call c) {
    folioSetOrder(new MemoryProtocol.FolioSetOrder(c.pfn(0), (int) c.arg(1)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "folio_ref_unfreeze", args = {"folio", "count"}, ret = "void", objects = "folio",
      doc = "folio_ref_unfreeze(): store-release of count into a frozen folio; with __ghost_holder(mapping) all but one"
          + " of them are the page cache's (include/linux/page_ref.h)")
  long folioRefUnfreezeStep(Call c) {
    String cache = c.holderName().equals(c.callerName()) ? null : c.holderName();
    folioRefUnfreeze(new MemoryProtocol.FolioRefUnfreeze(c.pfn(0), (int) c.arg(1), cache), c.ctx());
    return Call.LATER;
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
    folioGetAnonVma(new MemoryProtocol.FolioGetAnonVma(c.pfn(0)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "folio_remove_rmap_ptes_put", args = {"folio", "nr", "mm"}, ret = "int", objects = "folio",
      doc = "try_to_migrate_one() after its PTE writes: folio_remove_rmap_ptes() and the nr mappings' folio_put() of"
          + " mm's references, one step (nothing between them reads the folio; mm/rmap.c)")
  long folioRemoveRmapPtesPutStep(Call c) {
    folioRemoveRmapPtesPut(new MemoryProtocol.FolioRemoveRmapPtesPut(c.pfn(0), (int) c.arg(1), mmHolder(c, 2)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "folio_get_add_anon_rmap_ptes", args = {"folio", "nr", "mm"}, ret = "void", objects = "folio",
      doc = "remove_migration_pte() before its PTE writes: folio_get() and folio_add_anon_rmap_ptes() for nr pages,"
          + " the references mm's (mm/migrate.c)")
  long folioAddRmapPtesStep(Call c) {
    folioAddRmapPtes(new MemoryProtocol.FolioAddRmapPtes(c.pfn(0), (int) c.arg(1), mmHolder(c, 2)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "zap_pte_range_rmap_put", args = {"page", "nr", "mm"}, ret = "int", objects = "page",
      doc = "zap_pte_range() after the flush: per page folio_remove_rmap_pte() and the mapping's folio_put() (mm/memory.c,"
          + " mm/mmu_gather.c); returns the folios freed")
  long zapPteRmapStep(Call c) {
    zapPteRmap(new MemoryProtocol.ZapPteRmap(c.pfn(0), (int) c.arg(1), mmHolder(c, 2)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "TestSetPageHWPoison", args = "page", ret = "bool", objects = "page",
      doc = "memory_failure(): TestSetPageHWPoison() of the frame a machine check reported (mm/memory-failure.c)")
  long testSetPageHwPoisonStep(Call c) {
    testSetPageHwPoison(new MemoryProtocol.TestSetPageHwPoison(c.pfn(0)), c.ctx());
    return Call.LATER;
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
    folioFlag(new MemoryProtocol.FolioFlag(c.pfn(0), flag, set), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "folio_mapping", args = "folio", ret = "long", objects = "folio",
      doc = "a read of folio->mapping: the inode's id, or 0 (NULL) once truncation removed the folio (the re-check after folio_lock())")
  long folioMappingStep(Call c) {
    folioMapping(new MemoryProtocol.FolioMapping(c.pfn(0), false, 0, 0), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "folio_set_mapping", args = {"folio", "mapping", "index"}, ret = "long", objects = "folio",
      doc = "folio->mapping = mapping and folio->index = index (the inode's id, or 0 as page_cache_delete() stores NULL);"
          + " returns the old mapping")
  long folioSetMappingStep(Call c) {
    folioMapping(new MemoryProtocol.FolioMapping(c.pfn(0), true, (int) c.arg(1), (int) c.arg(2)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "__kmap_write", args = {"page", "data"}, ret = "void", objects = "page", ref = Ref.USES,
      doc = "model: the kernel stores data into page through a mapping (kmap_local_page()) it made under a reference it"
          + " believes pins the page")
  long kmapWriteStep(Call c) {
    return writeUnderReference(c, "kernel");
  }

  /** A write of data (arg 1) to page (arg 0) under the reference the step's ghosts carry, by {@code by}. */
  private long writeUnderReference(Call c, String by) {
    pageWrite(new MemoryProtocol.PageWrite(c.pfn(0), (int) c.ghost(0), c.ghost(1), (int) c.arg(1), by), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "__kmap_read", args = "page", ret = "int", objects = "page", ref = Ref.USES,
      doc = "model: the kernel loads from page under a reference it believes pins the page; returns the content it sees")
  long kmapReadStep(Call c) {
    pageRead(new MemoryProtocol.PageRead(c.pfn(0), (int) c.ghost(0), c.ghost(1), "kernel"), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "__guest_write", args = {"page", "data"}, ret = "void", objects = "page", ref = Ref.USES,
      doc = "model: the guest stores data into page through the EPT mapping KVM made under the reference the guest's"
          + " memory holds (seed 001's hand-off; no EPT is modelled there)")
  long guestWriteStep(Call c) {
    return writeUnderReference(c, "guest");
  }

  @Primitive(value = "__kvm_vcpu_map_write", args = {"page", "data"}, ret = "void", objects = "page", ref = Ref.USES,
      doc = "model: KVM writes guest data into page through kvm_vcpu_map()'s mapping, under the reference it took")
  long kvmVcpuMapWriteStep(Call c) {
    return writeUnderReference(c, "kvm_vcpu_map");
  }

  @Primitive(value = "__vmm_write", args = {"page", "data"}, ret = "void", objects = "page", ref = Ref.USES,
      doc = "model: the VMM's memcpy() stores data into page through its mmap() of the file, under the reference the"
          + " page's PTE holds")
  long vmmWriteStep(Call c) {
    return writeUnderReference(c, "vmm");
  }

  @Primitive(value = "__tdh_mem_page_add_copy", args = {"page", "data"}, ret = "void", objects = "page",
      doc = "TDH.MEM.PAGE.ADD's copy of the source page (data) into the private page: the TDX module's own mapping, no"
          + " direct-map or TLB entry of this kernel (arch/x86/virt/vmx/tdx/tdx.c)")
  long tdhMemPageAddCopyStep(Call c) {
    tempMapWrite(new MemoryProtocol.TempMapWrite(c.pfn(0), (int) c.arg(1)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "__mermap_write", args = {"page", "data"}, ret = "void", objects = "page",
      doc = "model: a store through a temporary local mapping (kmap_local/mermap of an unmapped page): no direct-map or"
          + " TLB entry another CPU could use")
  long tempMapWriteStep(Call c) {
    tempMapWrite(new MemoryProtocol.TempMapWrite(c.pfn(0), (int) c.arg(1)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "__direct_map_load", args = {"page", "speculative", "tlb_hit"}, ret = "int", objects = "page",
      doc = "hardware: the data access of a load through the direct map, with the translation the CPU got (TLB or walk);"
          + " returns the content it sees")
  long directMapLoadStep(Call c) {
    directMapLoad(new MemoryProtocol.DirectMapLoad(c.pfn(0), c.arg(1) != 0, c.arg(2) != 0), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "__direct_map_store", args = {"page", "tlb_hit", "data"}, ret = "void", objects = "page",
      doc = "hardware: the data access of a store through the direct map (clear_page(), copy_from_user() into a kmap)")
  long directMapStoreStep(Call c) {
    directMapStore(new MemoryProtocol.DirectMapStore(c.pfn(0), c.arg(1) != 0, (int) c.arg(2)), c.ctx());
    return Call.LATER;
  }

  @Primitive(value = "__guest_access", args = {"page", "write", "data", "vm_id", "gfn", "mapping", "index"}, ret = "int",
      objects = "page", readsGhost = true,
      doc = "hardware: a guest load or store translated through the EPT (or a cached guest translation) to page; the ghost"
          + " of page is its allocation when KVM mapped it, mapping/index the guest_memfd page the memslot names")
  long guestAccessStep(Call c) {
    int vm = (int) c.arg(3);
    guestAccess(new MemoryProtocol.GuestAccess(c.pfn(0), c.ghost(0), c.arg(1) != 0, (int) c.arg(2), vm, c.arg(4),
        (int) c.arg(5), (int) c.arg(6)), c.ctx());
    return Call.LATER;
  }

  /** The ledger's name for the references of the mm a handle names. */
  private static String mmHolder(Call c, int arg) {
    return c.ctx().name(gmemsim.model.prim.Handles.component(c.arg(arg)));
  }

  @Override
  public void onQuiescence(Ctx ctx) {
    pages.forEachHeldFolio(pfn -> ctx.emit(
        new MmEvents.RefLeftover(pfn, pages.folioOrder(pfn), pages.refcount(pfn), pages.holders(pfn))));
  }
}
