package gmemsim.model.gmem;

import gmemsim.model.exec.SourcePath;

/** Shorthands the removal designs use to call the x86 helpers (kernel/arch/x86/mm/). */
final class SetDirectMapCall {
  private SetDirectMapCall() {}

  /** set_direct_map_valid_noflush(folio_page(folio, 0), nr, valid); its intResult() is 0 or the error. */
  static SourcePath validNoflush(GmemEnv env, int folio, int nr, boolean valid) {
    return new SourcePath(env.kernel(), "set_direct_map_valid_noflush", folio, nr, valid ? 1 : 0);
  }

  /** flush_tlb_kernel_range(start, end) with whatever numbers the caller passes. */
  static SourcePath flush(GmemEnv env, long start, long end) {
    return new SourcePath(env.kernel(), "flush_tlb_kernel_range", start, end);
  }
}
