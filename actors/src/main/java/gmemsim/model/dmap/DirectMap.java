package gmemsim.model.dmap;

import static gmemsim.model.Describe.hex;
import static gmemsim.model.dmap.Addr.hexVa;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Msg;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * The kernel page tables that map all RAM at PAGE_OFFSET (kernel-model §3, x86): per 1G region a
 * 1G leaf or a table of 2M entries, per 2M entry a 2M leaf or a table of 4K PTEs. Splits are never
 * collapsed. Only the present bit is modelled (invalid = PRESENT cleared, default = PRESENT|RW).
 */
public final class DirectMap implements Component {
  public static final int LEVEL_4K = 1;
  public static final int LEVEL_2M = 2;
  public static final int LEVEL_1G = 3;
  private static final int PMD_SHIFT = 9;
  private static final int PUD_SHIFT = 18;

  private final String name;
  private final int base;
  private final int pages;
  private final boolean[] pudLeaf;
  private final boolean[] pudPresent;
  private final boolean[] pmdLeaf;
  private final boolean[] pmdPresent;
  private final boolean[] ptePresent;

  /** @param pageSize the leaf size at boot: 4096, 2M or 1G (aligned to the base) */
  public DirectMap(String name, int basePfn, int nrPages, long pageSize) {
    this.name = name;
    this.base = basePfn;
    this.pages = nrPages;
    int puds = ((nrPages - 1) >> PUD_SHIFT) + 1;
    int pmds = ((nrPages - 1) >> PMD_SHIFT) + 1;
    pudLeaf = new boolean[puds];
    pudPresent = new boolean[puds];
    pmdLeaf = new boolean[pmds];
    pmdPresent = new boolean[pmds];
    ptePresent = new boolean[nrPages];
    java.util.Arrays.fill(pudLeaf, pageSize >= (1L << 30));
    java.util.Arrays.fill(pudPresent, true);
    java.util.Arrays.fill(pmdLeaf, pageSize >= (1L << 21));
    java.util.Arrays.fill(pmdPresent, true);
    java.util.Arrays.fill(ptePresent, true);
  }

  /** cpa_lock (a spinlock upstream): waiters queue, the holder hands it over on release. */
  private final gmemsim.model.lock.RwSem cpaLock = new gmemsim.model.lock.RwSem("cpa_lock");

  @Override
  public String name() {
    return name;
  }

  @Override
  public void onMessage(Msg m, Ctx ctx) {
    if (!(m instanceof DirectMapProtocol.Request r)) {
      throw new IllegalArgumentException(name + " cannot handle " + m.step());
    }
    r.applyTo(this, ctx);
  }

  /** The level of the leaf mapping pfn. */
  public int level(int pfn) {
    int i = pfn - base;
    if (pudLeaf[i >> PUD_SHIFT]) return LEVEL_1G;
    return pmdLeaf[i >> PMD_SHIFT] ? LEVEL_2M : LEVEL_4K;
  }

  /** Whether the entry mapping pfn is present. */
  public boolean present(int pfn) {
    int i = pfn - base;
    return switch (level(pfn)) {
      case LEVEL_1G -> pudPresent[i >> PUD_SHIFT];
      case LEVEL_2M -> pmdPresent[i >> PMD_SHIFT];
      default -> ptePresent[i];
    };
  }

  private static String levelName(int level) {
    return level == LEVEL_1G ? "1G" : level == LEVEL_2M ? "2M" : "4K";
  }

  void lookupAddress(DirectMapProtocol.LookupAddress r, Ctx ctx) {
    int pfn = Addr.virtToPfn(r.va());
    if (pfn < base || pfn >= base + pages) {
      ctx.reply(new Ret(-1, 0));
      return;
    }
    boolean p = present(pfn);
    int level = level(pfn);
    if (ctx.tracing()) ctx.note(levelName(level) + " entry " + (p ? "present" : "not present"));
    ctx.reply(new Ret(p ? pfn : -1, level));
  }

  void cpaSetPresent(DirectMapProtocol.CpaSetPresent r, Ctx ctx) {
    int i = r.pfn() - base;
    int level = level(r.pfn());
    if (level != LEVEL_4K) {
      int leafPages = level == LEVEL_1G ? 1 << PUD_SHIFT : 1 << PMD_SHIFT;
      int offset = i & (leafPages - 1);
      int toEnd = leafPages - offset;
      if (present(r.pfn()) == r.present()) {
        // should_split_large_page(): the protection would not change; skip to the leaf's end.
        if (ctx.tracing()) ctx.note(levelName(level) + " leaf already " + (r.present() ? "present" : "not present"));
        ctx.reply(new Ret(DirectMapProtocol.CPA_UNCHANGED, Math.min(r.nr(), toEnd)));
        return;
      }
      if (offset == 0 && r.nr() >= leafPages) {
        // The request covers the whole leaf: change it in place, no split.
        if (level == LEVEL_1G) pudPresent[i >> PUD_SHIFT] = r.present();
        else pmdPresent[i >> PMD_SHIFT] = r.present();
        if (ctx.tracing()) {
          ctx.note(levelName(level) + " leaf of " + hexVa(Addr.pageAddress(r.pfn())) + " now "
              + (r.present() ? "present" : "not present") + " (not flushed)");
        }
        ctx.reply(new Ret(DirectMapProtocol.CPA_CHANGED, leafPages));
        return;
      }
      // Changing part of a large leaf: it must be split first (the caller allocates).
      if (ctx.tracing()) ctx.note(levelName(level) + " leaf covers " + hex(r.pfn()) + ": split needed");
      ctx.reply(Ret.of(level == LEVEL_1G ? DirectMapProtocol.CPA_SPLIT_1G : DirectMapProtocol.CPA_SPLIT_2M));
      return;
    }
    boolean changed = ptePresent[i] != r.present();
    ptePresent[i] = r.present();
    if (ctx.tracing()) {
      ctx.note(
          changed
              ? "PTE of " + hexVa(Addr.pageAddress(r.pfn())) + " now " + (r.present() ? "present" : "not present")
                  + " (not flushed)"
              : "unchanged");
    }
    ctx.reply(new Ret(changed ? DirectMapProtocol.CPA_CHANGED : DirectMapProtocol.CPA_UNCHANGED, 1));
  }

  void cpaLock(DirectMapProtocol.CpaLock r, Ctx ctx) {
    if (r.lock()) cpaLock.acquire(true, ctx);
    else cpaLock.release(true, ctx);
  }

  void splitLargePage(DirectMapProtocol.CpaSplitLargePage r, Ctx ctx) {
    int i = r.pfn() - base;
    int level = level(r.pfn());
    if (level != r.level()) {
      if (ctx.tracing()) ctx.note("already split by someone else");
      ctx.reply(Ret.of(0));
      return;
    }
    if (level == LEVEL_1G) {
      int pud = i >> PUD_SHIFT;
      int first = pud << (PUD_SHIFT - PMD_SHIFT);
      for (int k = first; k < Math.min(pmdLeaf.length, first + 512); k++) {
        pmdLeaf[k] = true;
        pmdPresent[k] = pudPresent[pud];
      }
      pudLeaf[pud] = false;
    } else {
      int pmd = i >> PMD_SHIFT;
      for (int k = pmd << PMD_SHIFT; k < Math.min(pages, (pmd + 1) << PMD_SHIFT); k++) {
        ptePresent[k] = pmdPresent[pmd];
      }
      pmdLeaf[pmd] = false;
    }
    if (ctx.tracing()) ctx.note(levelName(level) + " leaf split with table page " + hex(r.tablePfn()));
    ctx.reply(Ret.of(1));
  }
}
