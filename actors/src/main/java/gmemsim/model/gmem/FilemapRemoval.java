package gmemsim.model.gmem;

import gmemsim.model.thread.Path;

/**
 * The design agreed in seed 001: zap in filemap_add_folio(), restore in filemap_remove_folio();
 * kernel writes into the folio use a temporary mapping.
 */
final class FilemapRemoval implements DirectMapDesign {
  @Override
  public FolioZapDirectMapPath zapOnAdd(GmemEnv env, int folio, int nr) {
    return new FolioZapDirectMapPath(env, folio, nr);
  }

  @Override
  public Path restoreOnRemove(GmemEnv env, int folio, int nr) {
    return new FilemapRestoreDirectMapPath(env, folio, nr);
  }

  @Override
  public boolean temporaryKmap() {
    return true;
  }
}
