package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.KernelEvents;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * The filemap-level design's restore, on the way out of an AS_NO_DIRECT_MAP page cache
 * (filemap_remove_folio(), or an add that lost the race): folio_restore_direct_map(), which
 * returns void and WARNs if set_direct_map_valid_noflush() fails. Setting entries valid needs no
 * flush.
 */
public final class FilemapRestoreDirectMapPath extends CallingPath {
  private final GmemEnv env;
  private final int folio;
  private final int nr;
  private gmemsim.model.exec.SourcePath restore;
  private boolean done;

  FilemapRestoreDirectMapPath(GmemEnv env, int folio, int nr) {
    this.env = env;
    this.folio = folio;
    this.nr = nr;
  }

  @Override
  public String name() {
    return "folio_restore_direct_map";
  }

  @Override
  protected boolean begin(Ctx ctx) {
    done = false;
    restore = SetDirectMapCall.validNoflush(env, folio, nr, true);
    return call(restore, ctx);
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    if (restore.intResult() != 0) {
      ctx.emit(new KernelEvents.Warn(ctx.name(ctx.self()), "folio_restore_direct_map",
          "WARN_ON_ONCE(set_direct_map_valid_noflush(" + hex(folio) + ", " + nr + ", true)) = " + restore.intResult()));
      if (ctx.tracing()) ctx.note("WARN: the restore failed, the folio is freed anyway");
    }
    done = true;
    return true;
  }

  @Override
  protected String here() {
    return (done ? "DONE" : "RESTORE") + " folio " + hex(folio);
  }
}
