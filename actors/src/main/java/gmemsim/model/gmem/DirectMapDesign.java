package gmemsim.model.gmem;

import gmemsim.model.thread.Path;

/**
 * Where a direct-map design hooks into guest_memfd's paths (kernel-model §7): one class per design,
 * chosen by {@code gmem.direct-map-removal}, as P swaps a module. A path asks its hook at each
 * place a design may act; a null answer means this design does nothing there.
 */
public interface DirectMapDesign {
  /** kvm_gmem_get_pfn() right after clear_highpage(): RFC v3's kvm_gmem_folio_configure_direct_map(). */
  default KvmGmemFolioConfigureDirectMapPath afterClear(GmemEnv env, int folio, int firstIndex) {
    return null;
  }

  /**
   * Under the folio lock once the folio is prepared (get_pfn), written (write()) or faulted into
   * userspace: v10-v12's kvm_gmem_folio_zap_direct_map().
   */
  default KvmGmemFolioZapDirectMapPath zapPrepared(GmemEnv env, int folio) {
    return null;
  }

  /** filemap_add_folio(), before the folio is visible: the filemap design's folio_zap_direct_map(). */
  default FolioZapDirectMapPath zapOnAdd(GmemEnv env, int folio, int nr) {
    return null;
  }

  /** filemap_remove_folio() (and an add that lost its race): the filemap design's restore. */
  default Path restoreOnRemove(GmemEnv env, int folio, int nr) {
    return null;
  }

  /** -&gt;free_folio() when the folio leaves the page cache. */
  default Path freeFolio(GmemEnv env, int folio, int nr) {
    return null;
  }

  /** write() refuses a folio already out of the direct map (per-folio's write-once rule). */
  default boolean writeRefusesZapped() {
    return false;
  }

  /** Kernel writes into a folio (kmap_local_page) go through a temporary local mapping. */
  default boolean temporaryKmap() {
    return false;
  }
}
