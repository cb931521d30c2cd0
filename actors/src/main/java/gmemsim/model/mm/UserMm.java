package gmemsim.model.mm;

import gmemsim.model.prim.StateOwner;
import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.lock.RwSem;
import gmemsim.model.prim.Call;
import gmemsim.model.prim.LockOwner;
import gmemsim.model.prim.Primitive;
import gmemsim.model.prim.Structs;
import java.util.Arrays;

/**
 * The VMM process's mm: its mmap_lock, and one PTE per 4 KiB page of its anonymous memory (the
 * guest RAM of seed 004, then the buffers it hands the kernel, such as populate's source), each
 * present, a migration entry, or none, and the anon_vma lock of that memory. The
 * struct pages the PTEs point at, with their mapcounts and references, belong to the memory
 * components; a kernel path that changes both sends one step to each, in the kernel's order.
 *
 * <p>Each request that writes PTEs models one page-table lock section; readers that take no lock
 * (gup-fast) read one PTE at a time, so they cannot tell one section from the kernel's per-PTE
 * writes inside it.
 */
public final class UserMm implements StateOwner, LockOwner {
  /** pte_none(). */
  public static final long PTE_NONE = -1;
  /** A migration entry: gup-fast fails on it and the slow path waits for the split to finish. */
  public static final long PTE_MIGRATION = -2;

  private final String name;
  private final int[] pfn;
  private final byte[] state;
  private final RwSem anonVmaLock;
  private final RwSem mmapLock;
  private static final byte NONE = 0;
  private static final byte PRESENT = 1;
  private static final byte MIGRATION = 2;

  /** @param pfns the pfn each page of the VMA maps at boot (every page present) */
  public UserMm(String name, int[] pfns) {
    this(name, pfns, new int[0]);
  }

  /**
   * @param pfns the pfn each page of the guest RAM maps at boot (every page present)
   * @param buffer the pages after them: a pfn the VMM wrote (present), or -1 for a page never touched (none)
   */
  public UserMm(String name, int[] pfns, int[] buffer) {
    this.name = name;
    this.pfn = Arrays.copyOf(pfns, pfns.length + buffer.length);
    this.state = new byte[pfn.length];
    Arrays.fill(state, 0, pfns.length, PRESENT);
    for (int i = 0; i < buffer.length; i++) {
      pfn[pfns.length + i] = buffer[i];
      state[pfns.length + i] = buffer[i] >= 0 ? PRESENT : NONE;
    }
    this.anonVmaLock = new RwSem(name + " anon_vma rwsem");
    this.mmapLock = new RwSem(name + " mmap_lock");
  }

  @Override
  public String name() {
    return name;
  }

  /** The PTE of page i as gup-fast reads it: a pfn, PTE_NONE or PTE_MIGRATION (tests too). */
  public long pte(int page) {
    return switch (state[page]) {
      case PRESENT -> pfn[page];
      case MIGRATION -> PTE_MIGRATION;
      default -> PTE_NONE;
    };
  }

  @Override
  public java.util.List<String> ghost(java.util.Set<Integer> pfns, java.util.function.IntFunction<String> names) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < pfn.length; i++) {
      if (pfns.contains(pfn[i])) {
        out.add(name + " PTE of page " + i + " -> " + hex(pfn[i])
            + (state[i] == PRESENT ? " present" : state[i] == MIGRATION ? " (migration entry)" : " (none)"));
      }
    }
    return out;
  }

  private long readPte(int page, Ctx ctx) {
    long v = pte(page);
    if (ctx.tracing()) ctx.note(v >= 0 ? "pfn " + hex(v) : v == PTE_MIGRATION ? "migration entry" : "none");
    return v;
  }

  private long setMigrationEntries(int first, int nr, Ctx ctx) {
    int n = 0;
    for (int i = first; i < first + nr; i++) {
      if (state[i] == PRESENT) {
        state[i] = MIGRATION;
        n++;
      }
    }
    if (ctx.tracing()) ctx.note(n + " PTEs now migration entries");
    return n;
  }

  private long restoreMigrationPtes(int first, int nr, Ctx ctx) {
    int n = 0;
    for (int i = first; i < first + nr; i++) {
      if (state[i] == MIGRATION) {
        state[i] = PRESENT;
        n++;
      }
    }
    if (ctx.tracing()) ctx.note(n + " PTEs present again, same pfns");
    return n;
  }

  private long zapPteRange(int first, int nr, Ctx ctx) {
    int n = 0;
    for (int i = first; i < first + nr; i++) {
      if (state[i] != NONE) {
        state[i] = NONE;
        n++;
      }
    }
    if (ctx.tracing()) ctx.note(n + " PTEs cleared");
    return n;
  }

  private static final int ANON_VMA_LOCK = Structs.id("mm_struct", "anon_vma_lock");
  private static final int MMAP_LOCK = Structs.id("mm_struct", "mmap_lock");

  @Override
  public java.util.List<RwSem> locks() {
    return java.util.List.of(mmapLock, anonVmaLock);
  }

  @Override
  public RwSem lock(int field) {
    if (field == MMAP_LOCK) return mmapLock;
    if (field != ANON_VMA_LOCK) throw new IllegalStateException(name + " has no lock " + Structs.fieldPath(field));
    return anonVmaLock;
  }

  @Primitive(value = "set_pte_at_none", args = {"mm", "index", "pte"}, ret = "bool",
      decides = {"installed", "raced"},
      doc = "a fault's PTE install under the page-table lock (do_anonymous_page(), finish_fault(), mm/memory.c): if the"
          + " PTE of VMA page index is still none (vmf_pte_changed() finds no other fault's), set_pte_at() of pte; 0 when"
          + " another fault got there first")
  long setPteAtNoneStep(Call c) {
    int i = (int) c.arg(1);
    long v = c.arg(2);
    boolean none = state[i] == NONE;
    if (none) {
      pfn[i] = (int) v;
      state[i] = PRESENT;
    }
    if (c.ctx().tracing()) c.ctx().note(none ? "PTE of page " + i + " -> " + hex(v) : "PTE of page " + i + " already set");
    return none ? 1 : 0;
  }

  @Primitive(value = "ptep_get_lockless", args = {"mm", "index"}, ret = "long",
      doc = "gup_fast_pte_range(): one lockless read of the PTE of VMA page index: a pfn, or a none / migration entry"
          + " (pte_present(), is_migration_entry())")
  long ptepGetLocklessStep(Call c) {
    return readPte((int) c.arg(1), c.ctx());
  }

  @Primitive(value = "ptep_get", args = {"mm", "index"}, ret = "long",
      doc = "ptep_get(): a read of the PTE of VMA page index (gup-fast's re-check, the slow path's look)")
  long ptepGetStep(Call c) {
    return readPte((int) c.arg(1), c.ctx());
  }

  @Primitive(value = "ptep_get_and_clear", args = {"mm", "index"}, ret = "long",
      doc = "ptep_get_and_clear(): the PTE of VMA page index, cleared under the page-table lock (zap_pte_range(),"
          + " mm/memory.c); returns what it held")
  long ptepGetAndClearStep(Call c) {
    int i = (int) c.arg(1);
    long v = pte(i);
    state[i] = NONE;
    if (c.ctx().tracing()) c.ctx().note(v >= 0 ? "pfn " + hex(v) + " unmapped" : "no PTE");
    return v;
  }

  @Primitive(value = "try_to_migrate_ptes", args = {"mm", "index", "nr"}, ret = "int",
      doc = "try_to_migrate_one(), the PTE part, under the page-table lock: each present PTE of the nr pages becomes a"
          + " migration entry (mm/rmap.c); returns how many")
  long tryToMigratePtesStep(Call c) {
    return setMigrationEntries((int) c.arg(1), (int) c.arg(2), c.ctx());
  }

  @Primitive(value = "remove_migration_pte_range", args = {"mm", "index", "nr"}, ret = "int",
      doc = "remove_migration_pte(), the PTE part: the migration entries of nr pages become PTEs of the same pfns (mm/migrate.c)")
  long removeMigrationPtesStep(Call c) {
    return restoreMigrationPtes((int) c.arg(1), (int) c.arg(2), c.ctx());
  }

  @Primitive(value = "ptep_get_and_clear_range", args = {"mm", "index", "nr"}, ret = "int",
      doc = "zap_pte_range() under the page-table lock: ptep_get_and_clear() of nr PTEs (mm/memory.c)")
  long zapPtesStep(Call c) {
    return zapPteRange((int) c.arg(1), (int) c.arg(2), c.ctx());
  }
}
