package gmemsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.mm.PageAllocator;
import gmemsim.model.mm.StructPages;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructPagesTest {
  private static final int BASE = 0x100000;

  private final StructPages pages = new StructPages(BASE, 2048);
  private final PageAllocator alloc = new PageAllocator(pages, 4);

  @Test
  void a256gRangeHandsOutFromTheTopAndMergesBackWhole() {
    StructPages big = new StructPages(BASE, 1 << 26);
    PageAllocator a = new PageAllocator(big, 0);
    int h = a.allocPages(0, "owner");
    assertEquals(BASE + (1 << 26) - 1024, h, "the highest MAX_PAGE_ORDER block is split first");
    int h2 = a.allocPages(9, "owner");
    assertEquals(1, big.refcount(h2));
    assertEquals((1 << 26) - 1 - 512, a.freePages());
    big.forEachHeldFolio(pfn -> assertTrue(pfn == h || pfn == h2, "held: " + pfn));
    a.freeFolio(h);
    a.freeFolio(h2);
    assertEquals(1 << 26, a.freePages(), "the buddies merged back into the whole block");
  }

  @Test
  void compoundAllocationPointsTailsAtTheHeadAndCountsOnTheHead() {
    int h = alloc.allocPages(9, "owner");
    assertEquals(h, pages.pageFolio(h + 5));
    assertEquals(h, pages.pageFolio(h));
    assertEquals(1, pages.refcount(h));
    assertEquals(0, pages.refcount(h + 5), "a tail keeps refcount 0");
    assertEquals(9, pages.folioOrder(h));
    assertEquals(List.of("owner"), pages.holders(h));
  }

  @Test
  void tryGetFailsOnZeroAndOnATailsOwnCount() {
    int h = alloc.allocPages(2, "owner");
    assertFalse(pages.folioRefTryAdd(h + 1, 1, "kvm"), "get_page_unless_zero on a tail fails");
    assertTrue(pages.folioRefTryAdd(h, 1, "kvm"));
    assertEquals(2, pages.refcount(h));
    assertFalse(pages.folioRefFreeze(h, 1), "freeze needs the exact count");
    boolean[] held = new boolean[1];
    assertEquals(1, pages.folioPutRefs(h, 1, "kvm", held));
    assertTrue(held[0]);
    assertTrue(pages.folioRefFreeze(h, 1));
    assertFalse(pages.folioRefTryAdd(h, 1, "kvm"), "a frozen folio cannot be got");
  }

  @Test
  void splittingOffATailMakesItItsOwnFolioWhileFrozen() {
    int h = alloc.allocPages(2, "owner");
    assertTrue(pages.folioRefFreeze(h, 1));
    pages.splitOffNewFolio(h + 3, 0, h);
    assertEquals(h + 3, pages.pageFolio(h + 3));
    assertEquals(h, pages.pageFolio(h + 2), "tails not yet split still point at the head");
    assertEquals(0, pages.refcount(h + 3), "new folios stay frozen until unfrozen");
    assertEquals(-1, pages.folioRefUnfreeze(h + 3, 1, "owner", null), "a new folio had no frozen refs");
    assertEquals(List.of("owner"), pages.holders(h + 3));
    assertEquals(1, pages.folioRefUnfreeze(h, 1, "owner", null), "the original had one frozen ref");
  }

  @Test
  void putOfAReferenceNeverTakenIsVisibleInTheLedger() {
    int h = alloc.allocPages(0, "owner");
    boolean[] held = new boolean[1];
    assertEquals(0, pages.folioPutRefs(h, 1, "stranger", held));
    assertFalse(held[0]);
  }

  @Test
  void freedOrderZeroPagesAreReusedLastInFirstOut() {
    int a = alloc.allocPages(0, "x");
    int b = alloc.allocPages(0, "x");
    alloc.freeFolio(a);
    alloc.freeFolio(b);
    assertEquals(b, alloc.allocPages(0, "y"), "the per-CPU list hands out the hottest page");
    assertEquals(a, alloc.allocPages(0, "y"));
  }

  @Test
  void buddyFreeMergesBackToWholeBlocks() {
    int before = alloc.freePages();
    int h = alloc.allocPages(9, "owner");
    assertTrue(pages.isFree(h + 600) || !pages.covers(h + 600) || pages.pageFolio(h + 600) != h);
    assertEquals(before - 512, alloc.freePages());
    alloc.freeFolio(h);
    assertEquals(before, alloc.freePages());
    assertTrue(pages.isFree(h + 7));
    // Everything merged: two order-10 allocations fit again.
    assertTrue(alloc.allocPages(10, "a") >= 0);
    assertTrue(alloc.allocPages(10, "b") >= 0);
    assertEquals(-1, alloc.allocPages(0, "c"), "-ENOMEM once memory is exhausted");
  }

  @Test
  void allocationGenerationsChangeOnReuse() {
    int a = alloc.allocPages(0, "x");
    long g = pages.gen(a);
    alloc.freeFolio(a);
    assertEquals(0, pages.gen(a));
    assertEquals(a, alloc.allocPages(0, "y"));
    assertTrue(pages.gen(a) > g);
  }
}
