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
  private final int[] next;
  private final int[] prev;
  /** Order of the free buddy block starting at this frame, or NONE. */
  private final byte[] buddyOrder;

  public PageAllocator(StructPages pages, int pcpHigh) {
    this.pages = pages;
    this.pcpHigh = pcpHigh;
    int nr = pages.nrPages();
    this.next = new int[nr];
    this.prev = new int[nr];
    this.buddyOrder = new byte[nr];
    Arrays.fill(freeHead, NONE);
    Arrays.fill(buddyOrder, (byte) NONE);
    int i = 0;
    while (i < nr) {
      int o = MAX_PAGE_ORDER;
      while (o > 0 && ((i & ((1 << o) - 1)) != 0 || i + (1 << o) > nr)) o--;
      listAdd(i, o);
      i += 1 << o;
    }
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
      while (o <= MAX_PAGE_ORDER && freeHead[o] == NONE) o++;
      if (o > MAX_PAGE_ORDER) return -1;
      i = freeHead[o];
      listDel(i, o);
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
      if (buddy + (1 << ord) > pages.nrPages() || buddyOrder[buddy] != ord) break;
      listDel(buddy, ord);
      i = Math.min(i, buddy);
      ord++;
    }
    listAdd(i, ord);
  }

  /** Free frames in this range, counting the per-CPU list. */
  public int freePages() {
    int n = pcp.size();
    for (int o = 0; o <= MAX_PAGE_ORDER; o++) {
      for (int i = freeHead[o]; i != NONE; i = next[i]) n += 1 << o;
    }
    return n;
  }

  private void listAdd(int i, int o) {
    buddyOrder[i] = (byte) o;
    prev[i] = NONE;
    next[i] = freeHead[o];
    if (freeHead[o] != NONE) prev[freeHead[o]] = i;
    freeHead[o] = i;
  }

  private void listDel(int i, int o) {
    buddyOrder[i] = (byte) NONE;
    if (prev[i] != NONE) next[prev[i]] = next[i];
    else freeHead[o] = next[i];
    if (next[i] != NONE) prev[next[i]] = prev[i];
  }
}
