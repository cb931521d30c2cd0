package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * folio_zap_direct_map() (v10 on): set_direct_map_valid_noflush(false) over the whole folio, then
 * an unconditional flush_tlb_kernel_range() of it; an error returns before the flush. The
 * per-folio design calls it from kvm_gmem_folio_zap_direct_map(); the filemap-level design calls
 * it in filemap_add_folio(), before the folio is visible, where an error fails the allocation.
 */
public final class FolioZapDirectMapPath extends CallingPath {
  private enum Pc {
    INVALIDATE,
    FLUSH,
    DONE
  }

  private final GmemEnv env;
  private final int folio;
  private Pc pc;
  private gmemsim.model.exec.SourcePath zap;
  int err;

  private final int nr;

  FolioZapDirectMapPath(GmemEnv env, int folio) {
    this(env, folio, env.nrPages());
  }

  /** @param nr pages of the folio (a fallback allocation can be smaller than the file's order) */
  FolioZapDirectMapPath(GmemEnv env, int folio, int nr) {
    this.env = env;
    this.folio = folio;
    this.nr = nr;
  }

  @Override
  public String name() {
    return "folio_zap_direct_map";
  }

  @Override
  protected boolean begin(Ctx ctx) {
    err = 0;
    pc = Pc.INVALIDATE;
    zap = SetDirectMapCall.validNoflush(env, folio, nr, false);
    return call(zap, ctx);
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    if (pc == Pc.INVALIDATE) {
      if (zap.intResult() != 0) {
        err = zap.intResult();
        pc = Pc.DONE;
        return true;
      }
      pc = Pc.FLUSH;
      long va = GmemEnv.folioAddress(folio);
      return call(SetDirectMapCall.flush(env, va, va + ((long) nr << 12)), ctx);
    }
    pc = Pc.DONE;
    return true;
  }

  @Override
  protected String here() {
    return pc + " folio " + hex(folio);
  }
}
