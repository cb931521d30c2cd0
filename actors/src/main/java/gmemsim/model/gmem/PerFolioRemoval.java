package gmemsim.model.gmem;

import gmemsim.model.thread.Path;

/**
 * v10-v12 (seeds 000, 001): zap after prepare under the folio lock (and after write() or a
 * userspace fault), restore in free_folio; write() refuses a folio already zapped.
 */
final class PerFolioRemoval implements DirectMapDesign {
  @Override
  public KvmGmemFolioZapDirectMapPath zapPrepared(GmemEnv env, int folio) {
    return new KvmGmemFolioZapDirectMapPath(env, folio);
  }

  @Override
  public Path freeFolio(GmemEnv env, int folio, int nr) {
    return new KvmGmemFreeFolioPath(env, folio, nr, false);
  }

  @Override
  public boolean writeRefusesZapped() {
    return true;
  }
}
