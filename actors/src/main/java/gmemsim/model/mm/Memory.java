package gmemsim.model.mm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.Msg;
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
    String who = ctx.name(ctx.sender());
    int before = pages.refcount(r.folio());
    boolean ok = pages.folioRefTryAdd(r.folio(), r.nr(), who);
    if (ctx.tracing()) {
      ctx.note(
          ok
              ? "refcount " + before + " -> " + pages.refcount(r.folio())
              : "refcount 0: fails" + (pages.isFree(r.folio()) ? " (free)" : " (frozen)"));
    }
    ctx.reply(new Ret(ok ? 1 : 0, pages.gen(r.folio())));
  }

  void getPageUnlessZero(MemoryProtocol.GetPageUnlessZero r, Ctx ctx) {
    String who = ctx.name(ctx.sender());
    int before = pages.refcount(r.pfn());
    boolean ok = pages.folioRefTryAdd(r.pfn(), 1, who);
    if (ctx.tracing()) {
      ctx.note(ok ? "page refcount " + before + " -> " + (before + 1) : "page refcount 0: fails");
    }
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
    int frozen = pages.folioRefUnfreeze(r.folio(), r.count(), who, r.pageCache());
    ctx.emit(new MmEvents.RefUnfreeze(who, r.folio(), r.count(), frozen));
    if (ctx.tracing()) ctx.note("refcount 0 -> " + r.count());
    ctx.reply(Ret.of(0));
  }

  void allocPages(MemoryProtocol.AllocPages r, Ctx ctx) {
    if (r.pgtable() && pgtableAllocFail > 0 && ctx.rng().nextDouble() < pgtableAllocFail) {
      if (ctx.tracing()) ctx.note("-ENOMEM (injected page-table allocation failure)");
      ctx.reply(Ret.of(Errno.ENOMEM));
      return;
    }
    int pfn = allocator.allocPages(r.order(), ctx.name(ctx.sender()));
    if (pfn >= 0 && r.pgtable()) pages.markPageTable(pfn);
    if (ctx.tracing()) ctx.note(pfn < 0 ? "-ENOMEM" : "got " + hex(pfn));
    ctx.reply(pfn < 0 ? Ret.of(Errno.ENOMEM) : new Ret(pfn, pages.gen(pfn)));
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

  @Override
  public void onQuiescence(Ctx ctx) {
    int base = pages.basePfn();
    for (int i = 0; i < pages.nrPages(); i++) {
      int pfn = base + i;
      if (!pages.isFree(pfn) && pages.pageFolio(pfn) == pfn && !pages.isPageTable(pfn)
          && !(pages.refcount(pfn) == 0 && pages.folioTestFlag(pfn, StructPages.PG_HWPOISON))) {
        ctx.emit(
            new MmEvents.RefLeftover(
                pfn, pages.folioOrder(pfn), pages.refcount(pfn), pages.holders(pfn)));
      }
    }
  }
}
