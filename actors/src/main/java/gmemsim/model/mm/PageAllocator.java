package gmemsim.model.mm;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The page allocator of one range: buddy free lists per order (MAX_PAGE_ORDER 10) and one
 * per-CPU list of order-0 pages. Like the kernel's pcp lists, the per-CPU list is LIFO, so a page
 * freed a moment ago is the next one handed out: a stale user then hits someone else's data.
 */
public final class PageAllocator {
  public static final int MAX_PAGE_ORDER = 10;
  private static final int NONE = -1;

  private final StructPages pages;
  private final int pcpHigh;
  private final ArrayDeque<Integer> pcp = new ArrayDeque<>();
  // Buddy free lists, linked through the struct pages as the kernel's buddy_list is.
  private final int[] freeHead = new int[MAX_PAGE_ORDER + 1];
  /**
   * The MAX_PAGE_ORDER blocks never handed out: blocks [0, untouched) sit at the tail of the
   * order-10 list (boot pushed them in address order, so the highest is handed out first) without
   * being linked, and the link arrays are made per block on its first use: a machine of 256G costs
   * no more to build than one of 16M.
   */
  private int untouched;
  private static final int BLOCK = 1 << MAX_PAGE_ORDER;
  // By block: up to DIR blocks (4G) in flat arrays, a few KB zeroed per run and one load per
  // access; more in a directory of DIR blocks each, since flat arrays of a 256G machine's 64K
  // blocks zeroed for every run cost more than the run.
  private static final int DIR = 1024;
  private final int[][] nextFlat;
  private final int[][] prevFlat;
  private final byte[][] buddyFlat;
  private final int[][][] next;
  private final int[][][] prev;
  /** Order + 1 of the free buddy block starting at this frame, 0 for none (a new block needs no fill). */
  private final byte[][][] buddyOrder;

  public PageAllocator(StructPages pages, int pcpHigh) {
    this.pages = pages;
    this.pcpHigh = pcpHigh;
    int nr = pages.nrPages();
    if (nr % BLOCK != 0) throw new IllegalArgumentException(nr + " pages is not a whole number of " + BLOCK + "-page blocks");
    int blocks = nr / BLOCK;
    boolean small = blocks <= DIR;
    this.nextFlat = small ? new int[blocks][] : null;
    this.prevFlat = small ? new int[blocks][] : null;
    this.buddyFlat = small ? new byte[blocks][] : null;
    int dirs = small ? 0 : (blocks + DIR - 1) / DIR;
    this.next = new int[dirs][][];
    this.prev = new int[dirs][][];
    this.buddyOrder = new byte[dirs][][];
    Arrays.fill(freeHead, NONE);
    this.untouched = nr / BLOCK;
  }

  private void touch(int b) {
    if (nextFlat != null) {
      if (nextFlat[b] != null) return;
      nextFlat[b] = new int[BLOCK];
      prevFlat[b] = new int[BLOCK];
      buddyFlat[b] = new byte[BLOCK];
      return;
    }
    if (next[b / DIR] == null) {
      next[b / DIR] = new int[DIR][];
      prev[b / DIR] = new int[DIR][];
      buddyOrder[b / DIR] = new byte[DIR][];
    }
    if (next[b / DIR][b % DIR] != null) return;
    next[b / DIR][b % DIR] = new int[BLOCK];
    prev[b / DIR][b % DIR] = new int[BLOCK];
    buddyOrder[b / DIR][b % DIR] = new byte[BLOCK];
  }

  private int[] nextOf(int b) {
    return nextFlat != null ? nextFlat[b] : next[b / DIR][b % DIR];
  }

  private int[] prevOf(int b) {
    return prevFlat != null ? prevFlat[b] : prev[b / DIR][b % DIR];
  }

  private byte[] buddyOf(int b) {
    if (buddyFlat != null) return buddyFlat[b];
    byte[][] d = buddyOrder[b / DIR];
    return d == null ? null : d[b % DIR];
  }

  private int next(int i) {
    return nextOf(i / BLOCK)[i % BLOCK];
  }

  private byte buddyOrder(int i) {
    byte[] o = buddyOf(i / BLOCK);
    // An untouched block is free whole, at MAX_PAGE_ORDER; no frame inside heads a smaller block.
    return o == null ? (i % BLOCK == 0 && i / BLOCK < untouched ? (byte) MAX_PAGE_ORDER : (byte) NONE) : (byte) (o[i % BLOCK] - 1);
  }

  /**
   * alloc_pages(order) with __GFP_COMP: returns the head pfn with refcount 1 held by {@code
   * owner}, or -1 (-ENOMEM) when no block is large enough.
   */
  public int allocPages(int ord, String owner) {
    int i = NONE;
    if (ord == 0 && !pcp.isEmpty()) {
      i = pcp.pop();
    } else {
      int o = ord;
      while (o < MAX_PAGE_ORDER && freeHead[o] == NONE) o++;
      if (o == MAX_PAGE_ORDER && freeHead[o] == NONE) {
        if (untouched == 0) return -1;
        i = --untouched * BLOCK;
        touch(untouched);
      } else {
        i = freeHead[o];
        listDel(i, o);
      }
      // expand(): hand the upper halves back, one order at a time.
      while (o > ord) {
        o--;
        listAdd(i + (1 << o), o);
      }
    }
    int pfn = pages.basePfn() + i;
    pages.prepNewFolio(pfn, ord, owner);
    return pfn;
  }

  /** free_frozen_pages() after the last folio_put(): order-0 to the per-CPU list, else buddy. */
  public void freeFolio(int head) {
    int ord = pages.folioOrder(head);
    pages.destroyFolio(head, ord);
    int i = head - pages.basePfn();
    if (ord == 0 && pcpHigh > 0) {
      pcp.push(i);
      if (pcp.size() > pcpHigh) buddyFree(pcp.removeLast(), 0);
    } else {
      buddyFree(i, ord);
    }
  }

  /** __free_one_page(): merge with free buddies as far as they go. */
  private void buddyFree(int i, int ord) {
    while (ord < MAX_PAGE_ORDER) {
      int buddy = i ^ (1 << ord);
      if (buddy + (1 << ord) > pages.nrPages() || buddyOrder(buddy) != ord) break;
      listDel(buddy, ord);
      i = Math.min(i, buddy);
      ord++;
    }
    listAdd(i, ord);
  }

  /** Free frames in this range, counting the per-CPU list. */
  public int freePages() {
    int n = pcp.size() + untouched * BLOCK;
    for (int o = 0; o <= MAX_PAGE_ORDER; o++) {
      for (int i = freeHead[o]; i != NONE; i = next(i)) n += 1 << o;
    }
    return n;
  }

  private void listAdd(int i, int o) {
    touch(i / BLOCK);
    buddyOf(i / BLOCK)[i % BLOCK] = (byte) (o + 1);
    prevOf(i / BLOCK)[i % BLOCK] = NONE;
    nextOf(i / BLOCK)[i % BLOCK] = freeHead[o];
    if (freeHead[o] != NONE) prevOf(freeHead[o] / BLOCK)[freeHead[o] % BLOCK] = i;
    freeHead[o] = i;
  }

  private void listDel(int i, int o) {
    int p = prevOf(i / BLOCK)[i % BLOCK];
    int n = nextOf(i / BLOCK)[i % BLOCK];
    buddyOf(i / BLOCK)[i % BLOCK] = 0;
    if (p != NONE) nextOf(p / BLOCK)[p % BLOCK] = n;
    else freeHead[o] = n;
    if (n != NONE) prevOf(n / BLOCK)[n % BLOCK] = p;
  }
}
