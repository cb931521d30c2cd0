package gmemsim.model.dmap;

import static gmemsim.model.dmap.Addr.hexVa;

import gmemsim.model.Ctx;
import gmemsim.model.Msg;

/** Requests to the kernel page tables of the direct map. Each is one atomic step. */
public final class DirectMapProtocol {
  /** Results of {@link CpaSetPresent}. */
  public static final int CPA_UNCHANGED = 0;
  public static final int CPA_CHANGED = 1;
  public static final int CPA_SPLIT_2M = 2;
  public static final int CPA_SPLIT_1G = 3;

  private DirectMapProtocol() {}

  public sealed interface Request extends Msg {
    void applyTo(DirectMap d, Ctx ctx);
  }

  /** lookup_address() as the MMU's page walk does it: the pfn if present, else -1; ghost = level. */
  public record LookupAddress(long va) implements Request {
    public String step() {
      return "page walk";
    }

    @Override
    public String describe() {
      return "page walk(va=" + hexVa(va) + ")";
    }

    public void applyTo(DirectMap d, Ctx ctx) {
      d.lookupAddress(this, ctx);
    }
  }

  /**
   * One iteration of __change_page_attr_set_clr() under cpa_lock, for the leaf mapping pfn of a
   * request over nr pages: set_pte_atomic() of a 4K entry, an in-place change of a large leaf the
   * request covers whole (or already has the wanted protection), both CPA_CHANGED/CPA_UNCHANGED
   * with the pages done in the ghost field; or the level of a large leaf that must be split
   * first. The change is not flushed.
   */
  public record CpaSetPresent(int pfn, int nr, boolean present) implements Request {
    public CpaSetPresent(int pfn, boolean present) {
      this(pfn, 1, present);
    }

    public String step() {
      return present ? "set_direct_map_default_noflush" : "set_direct_map_invalid_noflush";
    }

    public void applyTo(DirectMap d, Ctx ctx) {
      d.cpaSetPresent(this, ctx);
    }
  }

  /**
   * __split_large_page() under pgd_lock, after the table page was allocated: re-walk; if the leaf
   * is still large, fill the new table with its protections and install it (1); if another CPU
   * split it meanwhile, 0 and the caller frees its page.
   */
  public record CpaSplitLargePage(int pfn, int level, int tablePfn) implements Request {
    public String step() {
      return "__split_large_page";
    }

    public void applyTo(DirectMap d, Ctx ctx) {
      d.splitLargePage(this, ctx);
    }
  }

  /**
   * spin_lock(&cpa_lock) (lock true) / spin_unlock(&cpa_lock): __change_page_attr_set_clr() holds
   * it around each __change_page_attr() when debug_pagealloc is off; returns once held.
   */
  public record CpaLock(boolean lock) implements Request {
    public String step() {
      return lock ? "spin_lock(&cpa_lock)" : "spin_unlock(&cpa_lock)";
    }

    @Override
    public boolean releasesLock() {
      return !lock;
    }

    public void applyTo(DirectMap d, Ctx ctx) {
      d.cpaLock(this, ctx);
    }
  }
}
