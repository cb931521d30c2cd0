package gmemsim.model.program;

import gmemsim.model.exec.SourcePath;

import gmemsim.model.gmem.GmemEnv;
import gmemsim.scenario.program.OpArgs;
import java.util.ArrayList;
import java.util.List;

/** Host kernel activity: what runs on a CPU besides the programs' system calls. */
final class KernelOps {
  private KernelOps() {}

  static List<Op> all() {
    return List.of(speculativeRead(), clearPage(), kvmTempWrite(), migrate(), memoryFailure());
  }

  private static OpSpec spec(String name, List<Param> params, String upstream, String d) {
    return new OpSpec(name, Domain.KERNEL, params, List.of(), upstream, d);
  }

  private static Op speculativeRead() {
    return new SimpleOp(
        spec("speculative-read", List.of(Param.optional("count", "1", "loads")),
            "(hardware) a speculative load through the direct map",
            "loads through the direct map at pages guest_memfd allocations get and as many others (a stale TLB entry serves them)"),
        (a, c) -> {
          int n = a.count("count", 1, 1, 1 << 20);
          c.tlb(a);
          // The pool: the guest pages first (one run of frames), then frame base + i for each later index i.
          int[] pool = c.world().specPool();
          GuestPages g = c.world().guestPages();
          int guests = g == null ? 0 : g.count();
          int base = gmemsim.model.MachineBuilder.BASE_PFN;
          for (int i = 0; i < pool.length; i++) {
            if (pool[i] != (i < guests ? pool[0] + i : base + i)) {
              throw new IllegalStateException("speculative-read's pages are not the guest pages then base + i: "
                  + java.util.Arrays.toString(pool));
            }
          }
          List<SourcePath> out = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            out.add(c.kernel("speculative_read", guests == 0 ? 0 : pool[0], guests, base, pool.length));
          }
          return out;
        });
  }

  private static Op clearPage() {
    return new SimpleOp(
        spec("clear-page", List.of(Param.optional("count", "1", "allocations")),
            "alloc_pages(__GFP_ZERO), clear_page(), __free_pages()",
            "a kernel allocation that zeroes its page through the direct map, then frees it"),
        (a, c) -> {
          int n = a.count("count", 1, 1, 1 << 20);
          c.tlb(a);
          List<SourcePath> out = new ArrayList<>();
          for (int i = 0; i < n; i++) out.add(c.kernel("alloc_zeroed_page_and_free"));
          return out;
        });
  }

  private static Op kvmTempWrite() {
    return new SimpleOp(
        spec("kvm-temp-write", List.of(Param.required("index", "file page index")),
            "the direct-map series' temporary restore for KVM's own write (kvm_gmem_*_temp_restore)",
            "KVM writes a guest page from the host: restore its direct-map entry, write, zap it again (gmem.temp-restore)"),
        (a, c) -> {
          GmemEnv env = c.env(a);
          c.tlb(a); // its store goes through this CPU's TLB (kernel source's TLB is the CPU's)
          int index = index(a, env);
          return List.of(c.kernel("kvm_write_guest_gmem", env.file(), index,
              gmemsim.model.mm.PageTag.guestPrivate(World.VM_ID)));
        });
  }

  private static Op migrate() {
    return new SimpleOp(
        spec("migrate", List.of(Param.required("index", "file page index"), Param.optional("count", "1", "scans, index after index")),
            "isolate_migratepages_block(), migrate_folio() / the mapping's ->migrate_folio",
            "compaction scans the folio at the index and migrates it if its mapping allows (gmem.migrate-folio)"),
        (a, c) -> {
          GmemEnv env = c.env(a);
          c.tlb(a); // folio_mc_copy() goes through this CPU's TLB
          int index = index(a, env);
          int n = a.count("count", 1, 1, 1 << 20);
          List<SourcePath> out = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            out.add(c.kernel("kcompactd_migrate_gmem_page", env.file(), (index + i) % env.sizePages()));
          }
          return out;
        });
  }

  private static Op memoryFailure() {
    return new SimpleOp(
        spec("memory-failure", List.of(Param.required("index", "file page index")),
            "memory_failure(), kvm_gmem_error_folio()",
            "a machine check on the page at the index: poison it and let guest_memfd's error_folio invalidate it (gmem.error-folio)"),
        (a, c) -> {
          GmemEnv env = c.env(a);
          int index = index(a, env);
          return List.of(c.kernel("machine_check_gmem_page", env.file(), index));
        });
  }

  private static int index(OpArgs a, GmemEnv env) {
    int index = a.count("index", 0, 0, 1 << 26);
    if (index >= env.sizePages()) throw a.error("index", index + " is beyond the file's " + env.sizePages() + " pages");
    return index;
  }
}
