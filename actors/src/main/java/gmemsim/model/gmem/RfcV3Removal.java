package gmemsim.model.gmem;

import gmemsim.model.thread.Path;

/**
 * RFC v3 (seed 002, Oct 2024) as posted: kvm_gmem_folio_configure_direct_map() after prepare;
 * free_folio restores, or marks the folio HWPoison when the restore fails.
 */
final class RfcV3Removal implements DirectMapDesign {
  @Override
  public KvmGmemFolioConfigureDirectMapPath afterClear(GmemEnv env, int folio, int firstIndex) {
    return new KvmGmemFolioConfigureDirectMapPath(env, folio, firstIndex);
  }

  @Override
  public Path freeFolio(GmemEnv env, int folio, int nr) {
    return new KvmGmemFreeFolioPath(env, folio, nr, true);
  }
}
