package gmemsim.model.mm;

import java.util.ArrayList;
import java.util.Arrays;
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

  final int base;
  final int nr;
  final int[] refcount;
  final int[] compoundHead;
  final byte[] order;
  final byte[] flags;

  // Ghost state: never read by a modelled kernel step.
  final long[] gen;
  final int[] tag;
  private final List<List<String>> holders;
  private long nextGen = 1;

  public StructPages(int basePfn, int nrPages) {
    this.base = basePfn;
    this.nr = nrPages;
    this.refcount = new int[nrPages];
    this.compoundHead = new int[nrPages];
    Arrays.fill(compoundHead, NOT_TAIL);
    this.order = new byte[nrPages];
    this.flags = new byte[nrPages];
    this.gen = new long[nrPages];
    this.tag = new int[nrPages];
    this.holders = new ArrayList<>(java.util.Collections.nCopies(nrPages, (List<String>) null));
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
    int h = compoundHead[ix(pfn)];
    return h == NOT_TAIL ? pfn : h;
  }

  /** folio_ref_try_add() (folio_try_get() for nr = 1): add unless the count is 0. */
  public boolean folioRefTryAdd(int folio, int nrRefs, String holder) {
    int i = ix(folio);
    if (refcount[i] == 0) return false;
    refcount[i] += nrRefs;
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
    List<String> h = holders.get(i);
    for (int k = 0; k < nrRefs; k++) held &= h != null && h.remove(holder);
    heldOut[0] = held;
    refcount[i] -= nrRefs;
    return refcount[i];
  }

  /** folio_ref_freeze(): CAS(refcount: expected -> 0). */
  public boolean folioRefFreeze(int folio, int expected) {
    int i = ix(folio);
    if (refcount[i] != expected) return false;
    refcount[i] = 0;
    return true;
  }

  /**
   * folio_ref_unfreeze(): store-release of the new count. Returns the number of references the
   * ledger says were frozen, or -1 if the folio is new from a split (its references then belong
   * to the caller).
   */
  public int folioRefUnfreeze(int folio, int count, String caller) {
    int i = ix(folio);
    refcount[i] = count;
    List<String> h = holdersOf(i);
    if (h.isEmpty()) {
      for (int k = 0; k < count; k++) h.add(caller);
      return -1;
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
    flags[n] = (byte) ((flags[o] & PG_LOCKED) | (newOrder > 0 ? PG_HEAD : 0));
    compoundHead[n] = NOT_TAIL;
    order[n] = (byte) newOrder;
    holders.set(n, null);
    for (int k = 1; k < (1 << newOrder); k++) compoundHead[n + k] = newHead;
  }

  /** folio_set_order() / ClearPageHead on the original folio once its tails are split off. */
  public void folioSetOrder(int folio, int newOrder) {
    int i = ix(folio);
    order[i] = (byte) newOrder;
    if (newOrder == 0) flags[i] &= ~PG_HEAD;
  }

  /** folio_trylock(): test-and-set of PG_locked. */
  public boolean folioTrylock(int folio) {
    int i = ix(folio);
    if ((flags[i] & PG_LOCKED) != 0) return false;
    flags[i] |= PG_LOCKED;
    return true;
  }

  /** folio_unlock(): clear PG_locked. */
  public void folioUnlock(int folio) {
    flags[ix(folio)] &= ~PG_LOCKED;
  }

  public boolean isPageTable(int pfn) {
    return (flags[ix(pfn)] & PG_TABLE) != 0;
  }

  /** __pagetable_ctor(): the page now holds page-table entries. */
  void markPageTable(int pfn) {
    flags[ix(pfn)] |= PG_TABLE;
  }

  public boolean isLocked(int folio) {
    return (flags[ix(folio)] & PG_LOCKED) != 0;
  }

  // ---- queries -----------------------------------------------------------------------------------

  public int refcount(int pfn) {
    return refcount[ix(pfn)];
  }

  public int folioOrder(int folio) {
    return order[ix(folio)];
  }

  public boolean isFree(int pfn) {
    return gen[ix(pfn)] == 0;
  }

  // ---- ghost -------------------------------------------------------------------------------------

  public long gen(int pfn) {
    return gen[ix(pfn)];
  }

  public int tag(int pfn) {
    return tag[ix(pfn)];
  }

  public void setTag(int pfn, int t) {
    tag[ix(pfn)] = t;
  }

  public List<String> holders(int folio) {
    List<String> h = holders.get(ix(folio));
    return h == null ? List.of() : List.copyOf(h);
  }

  private List<String> holdersOf(int i) {
    List<String> h = holders.get(i);
    if (h == null) {
      h = new ArrayList<>(2);
      holders.set(i, h);
    }
    return h;
  }

  // ---- allocator hooks (prep_compound_page / free path) --------------------------------------

  /** prep_new_page + prep_compound_page: head gets order and refcount 1, tails point at it. */
  void prepNewFolio(int head, int ord, String owner) {
    int i = ix(head);
    long g = nextGen++;
    refcount[i] = 1;
    order[i] = (byte) ord;
    flags[i] = ord > 0 ? PG_HEAD : 0;
    compoundHead[i] = NOT_TAIL;
    for (int k = 0; k < (1 << ord); k++) {
      gen[i + k] = g;
      if (k > 0) {
        compoundHead[i + k] = head;
        refcount[i + k] = 0;
        flags[i + k] = 0;
      }
    }
    List<String> h = new ArrayList<>(2);
    h.add(owner);
    holders.set(i, h);
  }

  /** The free path: destroy the compound page; every frame becomes free (generation 0). */
  void destroyFolio(int head, int ord) {
    int i = ix(head);
    for (int k = 0; k < (1 << ord); k++) {
      compoundHead[i + k] = NOT_TAIL;
      flags[i + k] = 0;
      order[i + k] = 0;
      gen[i + k] = 0;
    }
    holders.set(i, null);
  }
}
