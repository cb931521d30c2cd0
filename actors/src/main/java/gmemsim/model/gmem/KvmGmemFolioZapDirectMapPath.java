package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.StructPages;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * kvm_gmem_folio_zap_direct_map() of v10-v12 (per-folio design), called with the folio locked:
 * nothing to do if folio->private already says "zapped" (the zap is idempotent); large folios are
 * refused with -EINVAL; else {@link FolioZapDirectMapPath folio_zap_direct_map()}, and only after
 * it succeeded the bit is set.
 */
public final class KvmGmemFolioZapDirectMapPath extends CallingPath {
  private enum Pc {
    TEST_BIT,
    ZAP,
    SET_BIT,
    DONE
  }

  private final GmemEnv env;
  private final int folio;
  private Pc pc;
  private FolioZapDirectMapPath zap;
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
        pc = Pc.ZAP;
        zap = new FolioZapDirectMapPath(env, folio);
        return call(zap, ctx);
      }
      case ZAP -> {
        if (zap.err != 0) {
          err = zap.err;
          return done();
        }
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
