package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.PageTag;
import gmemsim.model.mm.StructPages;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * write() of one page of the VMM's initial image to a guest_memfd, as the write() series adds it
 * (generic_perform_write()): write_begin (bounds check, then the folio locked with a reference);
 * copy_from_user() into kmap_local_page(), i.e. through the direct map on x86-64 (the filemap
 * design uses a temporary local mapping); a whole page copied needs no tail zeroing, so mark it
 * uptodate; write_end unlocks and puts. Per-folio adds what its cover letter states: write() is
 * not allowed to touch a folio already removed from the direct map (-EEXIST, as Nikita Kalyazin's
 * combined write + NO_DIRECT_MAP tree returns; the v7 write posting has no direct-map check) and zaps what it wrote before the unlock.
 */
public final class KvmGmemWritePath extends GmemFolioPath<KvmGmemWritePath.Pc> {
  enum Pc {
    WRITE_BEGIN,
    TEST_ZAPPED,
    COPY,
    TEST_UPTODATE,
    MARK_UPTODATE,
    ZAP,
    UNLOCK,
    PUT,
    DONE
  }

  private KmapWritePath copy;
  private KvmGmemFolioZapDirectMapPath zap;

  public KvmGmemWritePath(GmemEnv env, Task task, int index) {
    super(env, task, index, Pc.WRITE_BEGIN, Pc.DONE);
  }

  @Override
  protected String operation() {
    return "write() to index " + index;
  }

  @Override
  public String name() {
    return "kvm_gmem_write";
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case WRITE_BEGIN -> {
        if (get.err != 0) return failed(get.err, ctx);
        if (env.design().hooks().writeRefusesZapped()) {
          return mem(ctx, Pc.TEST_ZAPPED,
              new MemoryProtocol.FolioFlag(folio(), StructPages.FOLIO_PRIVATE_NO_DIRECT_MAP, null));
        }
        return copy(ctx);
      }
      case TEST_ZAPPED -> {
        if (r.value() != 0) {
          if (ctx.tracing()) ctx.note("folio " + hex(folio()) + " is out of the direct map: write() refused");
          err = Errno.EEXIST;
          return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(folio()));
        }
        return copy(ctx);
      }
      case COPY -> {
        if (copy.oops) {
          task.kill();
          return done();
        }
        return mem(ctx, Pc.TEST_UPTODATE, new MemoryProtocol.FolioFlag(folio(), StructPages.PG_UPTODATE, null));
      }
      case TEST_UPTODATE -> {
        if (r.value() != 0) return writeEnd(ctx);
        return mem(ctx, Pc.MARK_UPTODATE, new MemoryProtocol.FolioFlag(folio(), StructPages.PG_UPTODATE, true));
      }
      case MARK_UPTODATE -> {
        return writeEnd(ctx);
      }
      case ZAP -> {
        err = zap.err;
        return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(folio()));
      }
      case UNLOCK -> {
        return mem(ctx, Pc.PUT, new MemoryProtocol.FolioPut(folio(), 1));
      }
      case PUT -> {
        if (err != 0) return failed(err, ctx);
        return done();
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean copy(Ctx ctx) {
    pc = Pc.COPY;
    copy = new KmapWritePath("copy_from_user", env, pfn(), 1, env.guestData());
    return call(copy, ctx);
  }

  private boolean writeEnd(Ctx ctx) {
    zap = env.design().hooks().zapPrepared(env, folio());
    if (zap != null) {
      pc = Pc.ZAP;
      return call(zap, ctx);
    }
    return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(folio()));
  }

}
