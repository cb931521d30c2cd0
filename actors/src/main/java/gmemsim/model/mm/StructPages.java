package gmemsim.model.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * The struct pages of one physical range (kernel-model §1): compound head word, order, flags
 * and {@code _refcount} per 4 KiB frame, plus the ghost state the simulator keeps beside them
 * (allocation generation, content tag, who holds each reference). Every public mutator is one
 * atomic kernel operation.
 */
public final class StructPages {
  /** compound_head word with bit 0 clear: the page is not a tail. */
  public static final int NOT_TAIL = -1;

  static final byte PG_LOCKED = 1;
  static final byte PG_HEAD = 2;
  static final byte PG_BUDDY = 4;
  /** The PageTable page type: the page belongs to kernel page tables, which outlive any run. */
  static final byte PG_TABLE = 8;
  /** PG_uptodate: for guest_memfd, "prepared" (zeroed and handed to the arch hook). */
  public static final int PG_UPTODATE = 16;
  /** PG_private: the folio carries private data (RFC v3: "direct map was modified"). */
  public static final int PG_PRIVATE = 32;
  /** PG_hwpoison: the page must never be used again; freeing it leaks it on purpose. */
  public static final int PG_HWPOISON = 64;
  /**
   * KVM_GMEM_FOLIO_NO_DIRECT_MAP, a bit of the folio->private word (v6-v12): the folio was zapped
   * from the direct map. Kept with the flags because it lives in the same struct folio.
   */
  public static final int FOLIO_PRIVATE_NO_DIRECT_MAP = 128;
  /** PAGE_MAPPING_ANON in folio->mapping: an anonymous folio (its mapping is an anon_vma). */
  public static final int PG_ANON = 256;
  /** PG_reserved: a page the kernel never frees (the shared zero page); its count is nobody's to balance. */
  static final int PG_RESERVED = 512;

  final int base;
  final int nr;
  /**
   * The struct pages, one {@link Frame} per frame, made on the first write: a machine is built
   * for every run and a run touches a few folios, so a frame never written costs one null slot
   * instead of a slot in ten arrays to zero. A read of a frame never written sees {@link #UNTOUCHED}.
   * These are the chunks of a machine of up to CHUNK chunks, else null.
   */
  private final Frame[][] flat;
  /** The directory of a larger machine's chunks, else null. */
  private final Frame[][][] frames;

  /** One struct page: what the kernel keeps in it, and the ghost state next to it. */
  private static final class Frame {
    int refcount;
    int compoundHead = NOT_TAIL;
    byte order;
    int flags;
    /** folio->mapping: the inode id of the page cache holding the folio, 0 for none. */
    int mapping;
    /** folio->index: the file index of the folio's first page (meaningful while mapping is set). */
    int index;
    /** folio_mapcount(): page-table entries that map pages of the folio (kept at the head). */
    int mapcount;
    // Ghost state: never read by a modelled kernel step.
    long gen;
    int tag;
    /** Who holds the folio's references (ghost ledger); null until the first get. */
    List<String> holders;
  }

  /** What every frame never written reads as; never written itself. */
  private static final Frame UNTOUCHED = new Frame();

  /** Frames come in chunks of this many, allocated on the first write into one (a 256G machine touches few). */
  static final int CHUNK = 1024;

  /**
   * Chunks by number. Up to CHUNK of them (4G) sit in one flat array, a few KB zeroed per run and
   * one load per access; more in a directory of CHUNK each, since a flat array of a 256G
   * machine's 64K chunks zeroed for every run cost more than the run.
   */
  private Frame[] chunk(int k) {
    if (flat != null) return flat[k];
    Frame[][] d = frames[k / CHUNK];
    return d == null ? null : d[k % CHUNK];
  }

  private Frame r(int i) {
    Frame[] c = chunk(i / CHUNK);
    Frame f = c == null ? null : c[i % CHUNK];
    return f == null ? UNTOUCHED : f;
  }

  private Frame w(int i) {
    int k = i / CHUNK;
    Frame[] c = chunk(k);
    if (c == null) {
      c = new Frame[CHUNK];
      if (flat != null) {
        flat[k] = c;
      } else {
        if (frames[k / CHUNK] == null) frames[k / CHUNK] = new Frame[CHUNK][];
        frames[k / CHUNK][k % CHUNK] = c;
      }
    }
    Frame f = c[i % CHUNK];
    if (f == null) c[i % CHUNK] = f = new Frame();
    return f;
  }

  /**
   * Calls {@code head} with each allocated folio's head pfn, page tables and poisoned folios
   * nobody holds left out (the candidates for references left over at the end of a run). Frames
   * never written are free: only written ones are looked at.
   */
  public void forEachHeldFolio(java.util.function.IntConsumer head) {
    int chunks = (nr + CHUNK - 1) / CHUNK;
    for (int k = 0; k < chunks; k++) {
      if (flat == null && frames[k / CHUNK] == null) {
        k += CHUNK - 1;
        continue;
      }
      Frame[] c = chunk(k);
      if (c == null) continue;
      for (int j = 0; j < c.length; j++) {
        Frame f = c[j];
        int pfn = base + k * CHUNK + j;
        if (f == null || f.gen == 0 || (f.compoundHead != NOT_TAIL && f.compoundHead != pfn) || (f.flags & (PG_TABLE | PG_RESERVED)) != 0) continue;
        if (f.refcount == 0 && (f.flags & PG_HWPOISON) != 0) continue;
        head.accept(pfn);
      }
    }
  }

  private long nextGen = 1;
  /** Offsets of the secret pages, see secretCount(). */
  private int[] secret = new int[16];
  private int secretCount;
  /** Ghost: frames a machine check poisoned (their loss is the hardware's, not a kernel bug). */
  private final java.util.BitSet machineCheck = new java.util.BitSet();

  public void markMachineCheck(int pfn) {
    machineCheck.set(ix(pfn));
  }

  public boolean machineCheck(int pfn) {
    return machineCheck.get(ix(pfn));
  }

  public StructPages(int basePfn, int nrPages) {
    this.base = basePfn;
    this.nr = nrPages;
    int chunks = (nrPages + CHUNK - 1) / CHUNK;
    this.flat = chunks <= CHUNK ? new Frame[chunks][] : null;
    this.frames = chunks <= CHUNK ? null : new Frame[(chunks + CHUNK - 1) / CHUNK][][];
  }


  public int basePfn() {
    return base;
  }

  public int nrPages() {
    return nr;
  }

  public boolean covers(int pfn) {
    return pfn >= base && pfn < base + nr;
  }

  private int ix(int pfn) {
    if (!covers(pfn)) throw new IllegalArgumentException("pfn 0x" + Integer.toHexString(pfn));
    return pfn - base;
  }

  // ---- atomic kernel operations ----------------------------------------------------------------

  /** page_folio() / compound_head(): one read of the page's compound_head word. */
  public int pageFolio(int pfn) {
    int h = r(ix(pfn)).compoundHead;
    return h == NOT_TAIL ? pfn : h;
  }

  /** folio_ref_try_add() (folio_try_get() for nr = 1): add unless the count is 0. */
  public boolean folioRefTryAdd(int folio, int nrRefs, String holder) {
    int i = ix(folio);
    if (r(i).refcount == 0) return false;
    w(i).refcount += nrRefs;
    for (int k = 0; k < nrRefs; k++) holdersOf(i).add(holder);
    return true;
  }

  /**
   * folio_put_refs(): subtract and test. Returns the count after the subtraction; the caller
   * frees the folio when it reached 0. The ghost ledger drops one entry of {@code holder} per
   * reference when it has them.
   *
   * @return the new count; {@code heldOut[0]} is set to whether the holder held the references
   */
  public int folioPutRefs(int folio, int nrRefs, String holder, boolean[] heldOut) {
    int i = ix(folio);
    boolean held = true;
    List<String> h = r(i).holders;
    for (int k = 0; k < nrRefs; k++) held &= h != null && h.remove(holder);
    heldOut[0] = held;
    w(i).refcount -= nrRefs;
    return r(i).refcount;
  }

  /** folio_ref_freeze(): CAS(refcount: expected -> 0). */
  public boolean folioRefFreeze(int folio, int expected) {
    int i = ix(folio);
    if (r(i).refcount != expected) return false;
    w(i).refcount = 0;
    return true;
  }

  /**
   * folio_ref_unfreeze(): store-release of the new count. Returns the number of references the
   * ledger says were frozen, or -1 if the folio is new from a split (its references then belong
   * to the caller).
   */
  public int folioRefUnfreeze(int folio, int count, String caller, String pageCache) {
    int i = ix(folio);
    w(i).refcount = count;
    List<String> h = holdersOf(i);
    if (h.isEmpty()) {
      h.add(caller);
      for (int k = 1; k < count; k++) h.add(pageCache != null ? pageCache : caller);
      return -1;
    }
    // The original of a page-cache split: the cache's references to the pages now in new
    // folios went with them.
    if (pageCache != null) {
      while (h.size() > count && h.remove(pageCache)) {}
    }
    return h.size();
  }

  /**
   * One new folio of {@code __split_folio_to_order()}: copy the head's flags, then
   * clear_compound_head() so page_folio() of the new head returns itself, then prep the new
   * folio's tails if its order is above 0. Its refcount stays 0 (frozen) until unfrozen.
   */
  public void splitOffNewFolio(int newHead, int newOrder, int origHead) {
    int n = ix(newHead);
    int o = ix(origHead);
    // Flags __split_folio_to_order() copies (PG_locked, PG_uptodate, the anon bit of ->mapping;
    // folio->private and PG_private stay with the original), and the mapping. PG_hwpoison is a
    // per-page flag: it is not copied, each new folio keeps its own page's bit.
    w(n).flags = (r(o).flags & (PG_LOCKED | PG_UPTODATE | PG_ANON)) | (r(n).flags & PG_HWPOISON) | (newOrder > 0 ? PG_HEAD : 0);
    w(n).mapcount = 0;
    w(n).mapping = r(o).mapping;
    w(n).index = r(o).index + (newHead - origHead);
    w(n).compoundHead = NOT_TAIL;
    w(n).order = (byte) newOrder;
    w(n).holders = null;
    for (int k = 1; k < (1 << newOrder); k++) w(n + k).compoundHead = newHead;
  }

  /** folio_mapcount(). */
  public int folioMapcount(int folio) {
    return r(ix(folio)).mapcount;
  }

  /** folio_test_anon(). */
  public boolean folioTestAnon(int folio) {
    return (r(ix(folio)).flags & PG_ANON) != 0;
  }

  /** folio_add_anon_rmap_ptes() with the folio_get()s of the new PTEs: nr more mappings. */
  public void folioAddRmapPtes(int folio, int nr, String holder) {
    int i = ix(folio);
    w(i).mapcount += nr;
    w(i).refcount += nr;
    for (int k = 0; k < nr; k++) holdersOf(i).add(holder);
  }

  /** folio_remove_rmap_ptes(): nr fewer mappings (the references are put separately). */
  public void folioRemoveRmapPtes(int folio, int nr) {
    w(ix(folio)).mapcount -= nr;
  }

  /**
   * Boot: the VMM faulted every page of an anonymous folio in with its own PTE (a PTE-mapped THP),
   * so each PTE holds a mapping and a reference, owned by {@code holder} in the ledger.
   */
  public void bootMapAnonPtes(int folio, String holder) {
    int i = ix(folio);
    w(i).flags |= PG_ANON;
    folioAddRmapPtes(folio, 1 << r(i).order, holder);
  }

  /**
   * Boot: the VMM wrote a freshly allocated order-0 page (do_anonymous_page()'s
   * folio_add_new_anon_rmap()): one mapping, whose reference is the allocation's.
   */
  public void bootMapNewAnon(int pfn) {
    int i = ix(pfn);
    w(i).flags |= PG_ANON;
    w(i).mapcount += 1;
  }

  /** The shared zero page at boot: an allocated page marked PG_reserved, read as zeros. */
  public void bootReserve(int pfn) {
    w(ix(pfn)).flags |= PG_RESERVED;
  }

  /** folio_set_order() / ClearPageHead on the original folio once its tails are split off. */
  public void folioSetOrder(int folio, int newOrder) {
    int i = ix(folio);
    w(i).order = (byte) newOrder;
    if (newOrder == 0) w(i).flags &= ~PG_HEAD;
  }

  /** folio_trylock(): test-and-set of PG_locked. */
  public boolean folioTrylock(int folio) {
    int i = ix(folio);
    if ((r(i).flags & PG_LOCKED) != 0) return false;
    w(i).flags |= PG_LOCKED;
    return true;
  }

  /** folio_unlock(): clear PG_locked. */
  public void folioUnlock(int folio) {
    w(ix(folio)).flags &= ~PG_LOCKED;
  }

  /** The kernel's name of a flag bit, for traces. */
  public static String flagName(int flag) {
    return switch (flag) {
      case PG_UPTODATE -> "uptodate";
      case PG_PRIVATE -> "private";
      case PG_HWPOISON -> "hwpoison";
      case FOLIO_PRIVATE_NO_DIRECT_MAP -> "no_direct_map";
      default -> "flag" + flag;
    };
  }

  /** folio_test_*(): one flag bit of the folio. */
  public boolean folioTestFlag(int folio, int flag) {
    return (r(ix(folio)).flags & flag) != 0;
  }

  /** folio_set_*() / folio_clear_*(): returns the old bit. */
  public boolean folioSetFlag(int folio, int flag, boolean on) {
    int i = ix(folio);
    boolean old = (r(i).flags & flag) != 0;
    if (on) w(i).flags |= flag;
    else w(i).flags &= ~flag;
    return old;
  }

  /** folio->mapping (an inode id), 0 when the folio is in no page cache. */
  public int folioMapping(int folio) {
    return r(ix(folio)).mapping;
  }

  public void folioSetMapping(int folio, int inode, int fileIndex) {
    w(ix(folio)).mapping = inode;
    w(ix(folio)).index = fileIndex;
  }

  /** page_folio(pfn)->mapping and the file index of the page itself (page_pgoff()). */
  public int pageMapping(int pfn) {
    return r(ix(pageFolio(pfn))).mapping;
  }

  public int pageIndex(int pfn) {
    int head = pageFolio(pfn);
    return r(ix(head)).index + (pfn - head);
  }

  /** folio_ref_add(): the caller already holds a reference, so the count is not 0. */
  public void folioRefAdd(int folio, int nrRefs, String holder) {
    int i = ix(folio);
    w(i).refcount += nrRefs;
    for (int k = 0; k < nrRefs; k++) holdersOf(i).add(holder);
  }

  public boolean isPageTable(int pfn) {
    return (r(ix(pfn)).flags & PG_TABLE) != 0;
  }

  /** __pagetable_ctor(): the page now holds page-table entries. */
  void markPageTable(int pfn) {
    w(ix(pfn)).flags |= PG_TABLE;
  }

  public boolean isLocked(int folio) {
    return (r(ix(folio)).flags & PG_LOCKED) != 0;
  }

  // ---- queries -----------------------------------------------------------------------------------

  public int refcount(int pfn) {
    return r(ix(pfn)).refcount;
  }

  public int folioOrder(int folio) {
    return r(ix(folio)).order;
  }

  public boolean isFree(int pfn) {
    return r(ix(pfn)).gen == 0;
  }

  // ---- ghost -------------------------------------------------------------------------------------

  public long gen(int pfn) {
    return r(ix(pfn)).gen;
  }

  public int tag(int pfn) {
    return r(ix(pfn)).tag;
  }

  public void setTag(int pfn, int t) {
    int i = ix(pfn);
    boolean was = PageTag.mustNotBeInDirectMap(r(i).tag);
    w(i).tag = t;
    boolean now = PageTag.mustNotBeInDirectMap(t);
    if (now && !was) {
      if (secretCount == secret.length) secret = java.util.Arrays.copyOf(secret, secretCount * 2);
      secret[secretCount++] = i;
    } else if (was && !now) {
      for (int k = 0; k < secretCount; k++) {
        if (secret[k] == i) {
          secret[k] = secret[--secretCount];
          break;
        }
      }
    }
  }

  private boolean secret(int i) {
    return PageTag.mustNotBeInDirectMap(r(i).tag);
  }

  /**
   * How many pages hold data the direct map must never expose. They are few, and listed (not a
   * bitmap over the range: on a large machine a scan of it at every step passed millions of
   * empty words).
   */
  public int secretCount() {
    return secretCount;
  }

  /** The pfn of secret page k, 0 <= k < secretCount() (in no particular order). */
  public int secretPfn(int k) {
    return base + secret[k];
  }

  /** Ghost: the folio left its file; its guest data no longer falls under the file's promise. */
  public void leaveFile(int folio) {
    int i = ix(folio);
    for (int k = 0; k < (1 << r(i).order); k++) {
      if (secret(i + k)) setTag(base + i + k, PageTag.afterFree(r(i + k).tag));
    }
  }



  public List<String> holders(int folio) {
    List<String> h = r(ix(folio)).holders;
    return h == null ? List.of() : List.copyOf(h);
  }

  private List<String> holdersOf(int i) {
    List<String> h = r(i).holders;
    if (h == null) {
      h = new ArrayList<>(2);
      w(i).holders = h;
    }
    return h;
  }

  // ---- allocator hooks (prep_compound_page / free path) --------------------------------------

  /** prep_new_page + prep_compound_page: head gets order and refcount 1, tails point at it. */
  void prepNewFolio(int head, int ord, String owner) {
    int i = ix(head);
    long g = nextGen++;
    w(i).refcount = 1;
    w(i).order = (byte) ord;
    w(i).flags = ord > 0 ? PG_HEAD : 0;
    w(i).mapping = 0;
    w(i).mapcount = 0;
    w(i).compoundHead = NOT_TAIL;
    for (int k = 0; k < (1 << ord); k++) {
      w(i + k).gen = g;
      if (k > 0) {
        w(i + k).compoundHead = head;
        w(i + k).refcount = 0;
        w(i + k).flags = 0;
      }
    }
    List<String> h = new ArrayList<>(2);
    h.add(owner);
    w(i).holders = h;
  }

  /** The free path: destroy the compound page; every frame becomes free (generation 0). */
  void destroyFolio(int head, int ord) {
    int i = ix(head);
    for (int k = 0; k < (1 << ord); k++) {
      w(i + k).compoundHead = NOT_TAIL;
      w(i + k).flags = 0;
      w(i + k).mapping = 0;
      w(i + k).mapcount = 0;
      w(i + k).order = 0;
      w(i + k).gen = 0;
      if (secret(i + k)) setTag(base + i + k, PageTag.afterFree(r(i + k).tag));
    }
    w(i).holders = null;
  }
}
