package gmemsim.model.dmap;

import gmemsim.model.prim.StateOwner;
import static gmemsim.model.Describe.hex;
import static gmemsim.model.dmap.Addr.hexVa;

import gmemsim.model.Ctx;
import gmemsim.model.lock.RwSem;
import gmemsim.model.prim.Call;
import gmemsim.model.prim.LockOwner;
import gmemsim.model.prim.Primitive;
import gmemsim.model.prim.Route;
import gmemsim.model.prim.Structs;

/**
 * The kernel page tables that map all RAM at PAGE_OFFSET (kernel-model §3, x86): per 1G region a
 * 1G leaf or a table of 2M entries, per 2M entry a 2M leaf or a table of 4K PTEs. Splits are never
 * collapsed. Only the present bit is modelled (invalid = PRESENT cleared, default = PRESENT|RW).
 * The steps of arch/x86/mm/pat/set_memory.c ({@code kernel/arch/x86/mm/pat/set_memory.c}) and of
 * the MMU's page walk are its primitives; set_memory.c's cpa_lock and the kernel page tables'
 * pgd_lock are its locks ({@code spin_lock(&__direct_map()->cpa_lock)}).
 */
public final class DirectMap implements StateOwner, LockOwner {
  public static final int LEVEL_4K = 1;
  public static final int LEVEL_2M = 2;
  public static final int LEVEL_1G = 3;
  private static final int PMD_SHIFT = 9;
  private static final int PUD_SHIFT = 18;
  private static final int CPA_LOCK = Structs.id("direct_map", "cpa_lock");
  private static final int PGD_LOCK = Structs.id("direct_map", "pgd_lock");

  private final String name;
  private final int base;
  private final int pages;
  private final boolean[] pudLeaf;
  private final boolean[] pudPresent;
  private final int pmds;
  /** Whether boot mapped with 2M leaves (below a PUD that boot made a table). */
  private final boolean bootPmdLeaf;
  /**
   * By PUD: its 512 PMDs' leaf and present bits, made when one of them first changes (null: as
   * boot made them, present); a 256G machine is built per run without 128K of each.
   */
  private final boolean[][] pmdLeaf;
  private final boolean[][] pmdPresent;
  /**
   * By PUD, then PMD: the 512 PTEs' present bits, made when the PMD is split (null: never split,
   * so every PTE is as boot made it, present).
   */
  private final boolean[][][] ptePresent;

  /** cpa_lock (a spinlock upstream): waiters queue, the holder hands it over on release. */
  private final RwSem cpaLock = new RwSem("cpa_lock");
  /** pgd_lock (a spinlock upstream), held across __split_large_page()'s re-check, install and flush. */
  private final RwSem pgdLock = new RwSem("pgd_lock");

  /** @param pageSize the leaf size at boot: 4096, 2M or 1G (aligned to the base) */
  public DirectMap(String name, int basePfn, int nrPages, long pageSize) {
    this.name = name;
    this.base = basePfn;
    this.pages = nrPages;
    int puds = ((nrPages - 1) >> PUD_SHIFT) + 1;
    pmds = ((nrPages - 1) >> PMD_SHIFT) + 1;
    pudLeaf = new boolean[puds];
    pudPresent = new boolean[puds];
    pmdLeaf = new boolean[puds][];
    pmdPresent = new boolean[puds][];
    ptePresent = new boolean[puds][][];
    bootPmdLeaf = pageSize >= (1L << 21);
    java.util.Arrays.fill(pudLeaf, pageSize >= (1L << 30));
    java.util.Arrays.fill(pudPresent, true);
  }

  private boolean pmdLeaf(int pmd) {
    boolean[] a = pmdLeaf[pmd >> (PUD_SHIFT - PMD_SHIFT)];
    return a == null ? bootPmdLeaf : a[pmd & 511];
  }

  private boolean pmdPresent(int pmd) {
    boolean[] a = pmdPresent[pmd >> (PUD_SHIFT - PMD_SHIFT)];
    return a == null || a[pmd & 511];
  }

  /** Sets a PMD's leaf and present bits, making its PUD's arrays (as boot made them) first. */
  private void setPmd(int pmd, boolean leaf, boolean present) {
    int pud = pmd >> (PUD_SHIFT - PMD_SHIFT);
    if (pmdLeaf[pud] == null) {
      pmdLeaf[pud] = new boolean[512];
      pmdPresent[pud] = new boolean[512];
      java.util.Arrays.fill(pmdLeaf[pud], bootPmdLeaf);
      java.util.Arrays.fill(pmdPresent[pud], true);
    }
    pmdLeaf[pud][pmd & 511] = leaf;
    pmdPresent[pud][pmd & 511] = present;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public java.util.List<RwSem> locks() {
    return java.util.List.of(cpaLock, pgdLock);
  }

  @Override
  public RwSem lock(int field) {
    if (field == CPA_LOCK) return cpaLock;
    if (field == PGD_LOCK) return pgdLock;
    throw new IllegalStateException(name + " has no lock " + Structs.fieldPath(field));
  }

  /** The level of the leaf mapping pfn. */
  public int level(int pfn) {
    int i = pfn - base;
    if (pudLeaf[i >> PUD_SHIFT]) return LEVEL_1G;
    return pmdLeaf(i >> PMD_SHIFT) ? LEVEL_2M : LEVEL_4K;
  }

  /** The end of a run: the held-lock check, and the absent pages for the check that no flush is owed. */
  @Override
  public void onQuiescence(gmemsim.model.Ctx ctx) {
    reportHeldLocks(name, ctx);
    ctx.emit(new gmemsim.model.BalanceEvents.DirectMapAbsentAtEnd(name, absent()));
  }

  /** The pfns whose entry is not present, walked by leaf (a never-split PMD is present throughout). */
  private int[] absent() {
    java.util.stream.IntStream.Builder out = java.util.stream.IntStream.builder();
    for (int pmd = 0; pmd < pmds; pmd++) {
      int first = pmd << PMD_SHIFT;
      int pud = first >> PUD_SHIFT;
      if (!pudLeaf[pud] && pmdLeaf[pud] == null && ptePresent[pud] == null) {
        // Below this PUD everything is as boot made it: present.
        pmd = ((pud + 1) << (PUD_SHIFT - PMD_SHIFT)) - 1;
        continue;
      }
      if (pudLeaf[pud]) {
        int end = Math.min(pages, (pud + 1) << PUD_SHIFT);
        if (!pudPresent[pud]) for (int i = first; i < end; i++) out.add(base + i);
        pmd = ((pud + 1) << (PUD_SHIFT - PMD_SHIFT)) - 1;
        continue;
      }
      int end = Math.min(pages, first + (1 << PMD_SHIFT));
      if (pmdLeaf(pmd)) {
        if (!pmdPresent(pmd)) for (int i = first; i < end; i++) out.add(base + i);
        continue;
      }
      boolean[][] ptes = ptePresent[pud];
      boolean[] pte = ptes == null ? null : ptes[pmd & 511];
      if (pte == null) continue;
      for (int i = first; i < end; i++) if (!pte[i & 511]) out.add(base + i);
    }
    return out.build().toArray();
  }

  /** Whether the entry mapping pfn is present. */
  public boolean present(int pfn) {
    int i = pfn - base;
    return switch (level(pfn)) {
      case LEVEL_1G -> pudPresent[i >> PUD_SHIFT];
      case LEVEL_2M -> pmdPresent(i >> PMD_SHIFT);
      default -> pte(i >> PMD_SHIFT)[i & 511];
    };
  }

  private boolean[] pte(int pmd) {
    int pud = pmd >> (PUD_SHIFT - PMD_SHIFT);
    boolean[][] ptes = ptePresent[pud];
    if (ptes == null) ptePresent[pud] = ptes = new boolean[512][];
    boolean[] p = ptes[pmd & 511];
    if (p == null) {
      ptes[pmd & 511] = p = new boolean[512];
      java.util.Arrays.fill(p, true);
    }
    return p;
  }

  private static String levelName(int level) {
    return level == LEVEL_1G ? "1G" : level == LEVEL_2M ? "2M" : "4K";
  }

  /** The frame a direct-map address maps, or -1 outside the map. */
  private int pfnOf(Call c, int arg) {
    int pfn = Addr.virtToPfn(c.arg(arg));
    if (pfn < base || pfn >= base + pages) {
      throw new IllegalStateException(c.kernelName() + "(" + hexVa(c.arg(arg)) + "): not a direct-map address of this machine");
    }
    return pfn;
  }

  @Primitive(value = "__page_walk", args = {"addr", "*level"}, ret = "long", route = Route.SINGLETON,
      doc = "hardware: the MMU's walk of the kernel page tables for a direct-map address (lookup_address() as the CPU does"
          + " it, no lock): the frame if the leaf is present, else -1; *level: the leaf's level")
  long pageWalkStep(Call c) {
    int pfn = Addr.virtToPfn(c.arg(0));
    if (pfn < base || pfn >= base + pages) return -1;
    c.ghost((long) level(pfn));
    boolean p = present(pfn);
    if (c.ctx().tracing()) c.ctx().note(levelName(level(pfn)) + " entry " + (p ? "present" : "not present"));
    return p ? pfn : -1;
  }

  /**
   * One leaf of __change_page_attr() under cpa_lock: _lookup_address_cpa(), then on a 4K leaf
   * set_pte_atomic() when the present bit changes, on a large leaf should_split_large_page()'s
   * __should_split_large_page() under pgd_lock: keep it when the protection would not change (the
   * pages to its end are done), change it in place when the request covers it whole, else 0 (split
   * it first). *level is the leaf's level. The change is not flushed.
   */
  @Primitive(value = "__change_page_attr_leaf", args = {"address", "numpages", "valid", "*level"}, ret = "long",
      route = Route.SINGLETON, decides = {"done", "split"},
      doc = "one leaf of __change_page_attr() under cpa_lock (arch/x86/mm/pat/set_memory.c): the lookup, then a 4K PTE's"
          + " set_pte_atomic(), or a large leaf kept (same protection) or changed in place (covered whole) by"
          + " __should_split_large_page(); returns the pages done, 0 when the large leaf must be split (*level: its level)")
  long changePageAttrLeafStep(Call c) {
    int pfn = pfnOf(c, 0);
    long nr = c.arg(1);
    boolean present = c.arg(2) != 0;
    Ctx ctx = c.ctx();
    int i = pfn - base;
    int level = level(pfn);
    c.ghost((long) level);
    if (level != LEVEL_4K) {
      int leafPages = level == LEVEL_1G ? 1 << PUD_SHIFT : 1 << PMD_SHIFT;
      int offset = i & (leafPages - 1);
      int toEnd = leafPages - offset;
      if (present(pfn) == present) {
        // The protection would not change: keep the leaf, skip to its end.
        if (ctx.tracing()) ctx.note(levelName(level) + " leaf already " + (present ? "present" : "not present"));
        return Math.min(nr, toEnd);
      }
      if (offset == 0 && nr >= leafPages) {
        // The request covers the whole leaf: change it in place, no split.
        if (level == LEVEL_1G) pudPresent[i >> PUD_SHIFT] = present;
        else setPmd(i >> PMD_SHIFT, true, present);
        if (ctx.tracing()) {
          ctx.note(levelName(level) + " leaf of " + hexVa(Addr.pageAddress(pfn)) + " now "
              + (present ? "present" : "not present") + " (not flushed)");
        }
        return leafPages;
      }
      if (ctx.tracing()) ctx.note(levelName(level) + " leaf covers " + hex(pfn) + ": split needed");
      return 0;
    }
    boolean[] ptes = pte(i >> PMD_SHIFT);
    boolean changed = ptes[i & 511] != present;
    ptes[i & 511] = present;
    if (ctx.tracing()) {
      ctx.note(changed
          ? "PTE of " + hexVa(Addr.pageAddress(pfn)) + " now " + (present ? "present" : "not present") + " (not flushed)"
          : "unchanged");
    }
    return 1;
  }

  /**
   * The part of __split_large_page() that touches the page tables, under pgd_lock: re-walk; if the
   * leaf at address is still of this level, fill the new table (base) with its protection
   * (split_set_pte() for each entry) and install it (__set_pmd_pte()): 0; if another CPU split it
   * meanwhile, 1 (the caller frees base). The lock and the flush are the caller's, in source.
   */
  @Primitive(value = "__split_large_page_locked", args = {"address", "level", "base"}, ret = "int", route = Route.SINGLETON,
      decides = {"raced", "split"},
      doc = "__split_large_page()'s page-table work under pgd_lock: the re-walk (another CPU split first: 1), the new table"
          + " filled from the leaf and installed: 0 (arch/x86/mm/pat/set_memory.c)")
  long splitLargePageLockedStep(Call c) {
    int pfn = pfnOf(c, 0);
    int wanted = (int) c.arg(1);
    Ctx ctx = c.ctx();
    int i = pfn - base;
    int level = level(pfn);
    if (level != wanted) {
      if (ctx.tracing()) ctx.note("already split by someone else");
      return 1;
    }
    if (level == LEVEL_1G) {
      int pud = i >> PUD_SHIFT;
      int first = pud << (PUD_SHIFT - PMD_SHIFT);
      for (int k = first; k < Math.min(pmds, first + 512); k++) setPmd(k, true, pudPresent[pud]);
      pudLeaf[pud] = false;
    } else {
      int pmd = i >> PMD_SHIFT;
      java.util.Arrays.fill(pte(pmd), pmdPresent(pmd));
      setPmd(pmd, false, pmdPresent(pmd));
    }
    if (ctx.tracing()) ctx.note(levelName(level) + " leaf split with table page " + hex(c.arg(2)));
    return 0;
  }
}
