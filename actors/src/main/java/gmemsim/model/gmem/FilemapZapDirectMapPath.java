package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.dmap.SetDirectMapPath;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * The filemap-level design (seed 001): on the way into an AS_NO_DIRECT_MAP page cache, before the
 * folio is visible, folio_zap_direct_map() = set_direct_map_valid_noflush(false) over the whole
 * folio and flush_tlb_kernel_range() of it. An error fails the add, so the allocation fails.
 */
public final class FilemapZapDirectMapPath extends CallingPath {
  private enum Pc {
    INVALIDATE,
    FLUSH,
    DONE
  }

  private final GmemEnv env;
  private final int folio;
  private Pc pc;
  private SetDirectMapPath zap;
  int err;

  FilemapZapDirectMapPath(GmemEnv env, int folio) {
    this.env = env;
    this.folio = folio;
  }

  @Override
  public String name() {
    return "folio_zap_direct_map";
  }

  @Override
  protected boolean begin(Ctx ctx) {
    err = 0;
    pc = Pc.INVALIDATE;
    zap = SetDirectMapCall.validNoflush(env, folio, env.nrPages(), false);
    return call(zap, ctx);
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    if (pc == Pc.INVALIDATE) {
      if (zap.result() != 0) {
        err = zap.result();
        pc = Pc.DONE;
        return true;
      }
      pc = Pc.FLUSH;
      long va = GmemEnv.folioAddress(folio);
      return call(SetDirectMapCall.flush(env, va, va + ((long) env.nrPages() << 12)), ctx);
    }
    pc = Pc.DONE;
    return true;
  }

  @Override
  protected String here() {
    return pc + " folio " + hex(folio);
  }
}
