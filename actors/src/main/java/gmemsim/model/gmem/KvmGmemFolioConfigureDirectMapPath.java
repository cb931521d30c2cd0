package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.StructPages;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * kvm_gmem_folio_configure_direct_map() of RFC v3 (seed 002) as posted, folio locked:
 * set_direct_map_valid_noflush(folio_page(folio, 0), folio_nr_pages(folio), default_state =
 * false); on an error it returns at once (no PG_private, no flush). The deviations xarray is
 * empty in the posted series (nothing fills it), so it goes straight to out_flush: folio_set_private()
 * and flush_tlb_kernel_range(start, start + folio_size(folio)) where start is folio_index(folio):
 * a file index, not a virtual address, so the flush covers a user address range and no direct-map
 * TLB entry.
 */
public final class KvmGmemFolioConfigureDirectMapPath extends CallingPath {
  private enum Pc {
    SET_DIRECT_MAP,
    SET_PRIVATE,
    FLUSH,
    DONE
  }

  private final GmemEnv env;
  private final int folio;
  private final int index;
  private Pc pc;
  private gmemsim.model.exec.SourcePath zap;
  int err;

  /** @param index folio_index(folio): the file index of the folio's first page */
  KvmGmemFolioConfigureDirectMapPath(GmemEnv env, int folio, int index) {
    this.env = env;
    this.folio = folio;
    this.index = index;
  }

  @Override
  public String name() {
    return "kvm_gmem_folio_configure_direct_map";
  }

  @Override
  protected boolean begin(Ctx ctx) {
    err = 0;
    pc = Pc.SET_DIRECT_MAP;
    zap = SetDirectMapCall.validNoflush(env, folio, env.nrPages(), false);
    return call(zap, ctx);
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case SET_DIRECT_MAP -> {
        if (zap.intResult() != 0) {
          err = zap.intResult();
          pc = Pc.DONE;
          return true;
        }
        pc = Pc.SET_PRIVATE;
        ctx.send(env.memoryFor(folio), new MemoryProtocol.FolioFlag(folio, StructPages.PG_PRIVATE, true));
        return false;
      }
      case SET_PRIVATE -> {
        pc = Pc.FLUSH;
        long start = index;
        return call(SetDirectMapCall.flush(env, start, start + ((long) env.nrPages() << 12)), ctx);
      }
      case FLUSH -> {
        pc = Pc.DONE;
        return true;
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  @Override
  protected String here() {
    return pc + " folio " + hex(folio);
  }
}
