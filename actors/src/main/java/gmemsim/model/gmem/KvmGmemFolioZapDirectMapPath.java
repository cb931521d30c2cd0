package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.dmap.SetDirectMapPath;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.StructPages;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * kvm_gmem_folio_zap_direct_map() of v10-v12 (per-folio design), called with the folio locked:
 * nothing to do if folio->private already says "zapped" (the zap is idempotent); large folios are
 * refused with -EINVAL; else folio_zap_direct_map() = set_direct_map_valid_noflush(false) then an
 * unconditional flush_tlb_kernel_range() of the folio, and only after both the bit is set.
 */
public final class KvmGmemFolioZapDirectMapPath extends CallingPath {
  private enum Pc {
    TEST_BIT,
    INVALIDATE,
    FLUSH,
    SET_BIT,
    DONE
  }

  private final GmemEnv env;
  private final int folio;
  private Pc pc;
  private SetDirectMapPath zap;
  /** 0 or the error the caller must propagate. */
  int err;

  KvmGmemFolioZapDirectMapPath(GmemEnv env, int folio) {
    this.env = env;
    this.folio = folio;
  }

  @Override
  public String name() {
    return "kvm_gmem_folio_zap_direct_map";
  }

  @Override
  protected boolean begin(Ctx ctx) {
    err = 0;
    pc = Pc.TEST_BIT;
    ctx.send(env.memoryFor(folio),
        new MemoryProtocol.FolioFlag(folio, StructPages.FOLIO_PRIVATE_NO_DIRECT_MAP, null));
    return false;
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case TEST_BIT -> {
        if (r.value() != 0) return done();
        if (env.folioOrder() > 0) {
          if (ctx.tracing()) ctx.note("large folio " + hex(folio) + ": -EINVAL");
          err = Errno.EINVAL;
          return done();
        }
        pc = Pc.INVALIDATE;
        zap = SetDirectMapCall.validNoflush(env, folio, env.nrPages(), false);
        return call(zap, ctx);
      }
      case INVALIDATE -> {
        if (zap.result() != 0) {
          err = zap.result();
          return done();
        }
        pc = Pc.FLUSH;
        long va = GmemEnv.folioAddress(folio);
        return call(SetDirectMapCall.flush(env, va, va + ((long) env.nrPages() << 12)), ctx);
      }
      case FLUSH -> {
        pc = Pc.SET_BIT;
        ctx.send(env.memoryFor(folio),
            new MemoryProtocol.FolioFlag(folio, StructPages.FOLIO_PRIVATE_NO_DIRECT_MAP, true));
        return false;
      }
      case SET_BIT -> {
        return done();
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean done() {
    pc = Pc.DONE;
    return true;
  }

  @Override
  protected String here() {
    return pc + " folio " + hex(folio);
  }
}
