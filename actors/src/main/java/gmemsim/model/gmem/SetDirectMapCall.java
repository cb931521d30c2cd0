package gmemsim.model.gmem;

import gmemsim.model.cpu.FlushTlbKernelRangePath;
import gmemsim.model.dmap.PageHandoff;
import gmemsim.model.dmap.SetDirectMapPath;

/** Shorthands the removal designs use to build the x86 helpers they call. */
final class SetDirectMapCall {
  private SetDirectMapCall() {}

  /** set_direct_map_valid_noflush(folio_page(folio, 0), nr, valid). */
  static SetDirectMapPath validNoflush(GmemEnv env, int folio, int nr, boolean valid) {
    return new SetDirectMapPath(folio, nr, valid, env.topo(), env.directMap(), env.cpus(), new PageHandoff());
  }

  /** flush_tlb_kernel_range(start, end) with whatever numbers the caller passes. */
  static FlushTlbKernelRangePath flush(GmemEnv env, long start, long end) {
    return new FlushTlbKernelRangePath(env.cpus(), start, end);
  }
}
