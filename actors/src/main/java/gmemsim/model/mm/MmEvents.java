package gmemsim.model.mm;

import gmemsim.model.Event;
import java.util.List;

/** Ghost facts the memory component reports; oracles decide which of them are violations. */
public final class MmEvents {
  private MmEvents() {}

  /**
   * A path read or wrote a page through a mapping it set up under a reference it believes pins
   * the page.
   *
   * @param claimedFolio the folio the path holds its reference on
   * @param claimedGen allocation generation of that folio when the reference was taken
   * @param actualFolio what {@code page_folio(pfn)} is at this step (the folio that contains it)
   * @param gen allocation generation of the page now; 0 when the page is free
   */
  public record PageAccess(
      String actor,
      int pfn,
      boolean write,
      int claimedFolio,
      long claimedGen,
      int actualFolio,
      long gen)
      implements Event {}

  /**
   * A reference was dropped.
   *
   * @param countBefore the folio's refcount before the decrement
   * @param held whether the putter held a reference on this folio (ghost ledger)
   */
  public record RefPut(String actor, int folio, int countBefore, boolean held) implements Event {}

  /**
   * A frozen folio was unfrozen.
   *
   * @param frozenRefs references the ledger says were frozen, or -1 for a folio new from a split
   */
  public record RefUnfreeze(String actor, int folio, int count, int frozenRefs) implements Event {}

  /**
   * A CPU loaded a page through the kernel direct map.
   *
   * @param tag what the load saw (ghost content tag)
   * @param tlbHit the translation came from the CPU's TLB rather than a walk
   */
  public record DirectMapRead(String cpu, int pfn, int tag, boolean speculative, boolean tlbHit)
      implements Event {}

  /** A legitimate kernel access found the direct-map entry of pfn not present: an oops. */
  public record DirectMapFault(String cpu, int pfn, String what) implements Event {}

  /** A folio still allocated when the run ended, with whoever the ledger says holds it. */
  public record RefLeftover(int folio, int order, int refcount, List<String> holders)
      implements Event {}

  /** Memory the kernel will never use again: a poisoned page freed, or a page deliberately leaked. */
  public record MemoryLost(String actor, int pfn, int order, String why) implements Event {}

  /**
   * A guest access translated gfn to pfn; the memslot says guest_memfd {@code inode} backs that
   * gfn at {@code index}. mappingNow/indexNow are where the page is now (0/-1: in no file).
   */
  public record GuestAccess(
      String actor, int vm, long gfn, int pfn, int inode, int index, int mappingNow, int indexNow)
      implements Event {}
}
