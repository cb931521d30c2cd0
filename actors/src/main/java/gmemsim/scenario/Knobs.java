package gmemsim.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key a scenario file may hold, with its default and description. A key not listed here is
 * an error at load time. Layers below read values through these constants, never by spelling a
 * key again.
 */
public final class Knobs {
  private static final Map<String, Knob> ALL = new LinkedHashMap<>();

  private static Knob add(Knob k) {
    ALL.put(k.key(), k);
    return k;
  }

  // --- scenario -------------------------------------------------------------------------------
  public static final Knob NAME =
      add(Knob.ofString("scenario.name", "", "name used in reports (default: the file name)"));
  public static final Knob DESCRIPTION =
      add(Knob.ofString("scenario.description", "", "one line on what the scenario models"));

  // --- actors -------------------------------------------------------------------------------
  public static final Knob ACTORS =
      add(
          Knob.ofPrograms(
              "actors",
              "the actors that run, each { name, kind, program = [ { op = ..., args..., expect = ... } ] };"
                  + " when given, the machine is built from them and the workload knobs (vm.workload, vmm.*,"
                  + " workload.*, gmem.pages, ...) are not read (gmemsim list prints every kind and operation)"));

  // --- machine --------------------------------------------------------------------------------
  public static final Knob MEMORY =
      add(Knob.ofSize("machine.memory", "16M", "simulated physical memory (4 KiB frames)"));
  public static final Knob MEMORY_RANGES =
      add(
          Knob.ofInt(
              "machine.memory-ranges",
              1,
              1,
              64,
              "struct-page ranges, each owned by one memory component with its own allocator"));
  public static final Knob PCP_HIGH =
      add(
          Knob.ofInt(
              "machine.pcp-high",
              32,
              0,
              4096,
              "order-0 pages kept on the per-CPU free list (LIFO, reused first) before they go back"
                  + " to the buddy lists"));

  public static final Knob CPUS =
      add(Knob.ofInt("machine.cpus", 4, 1, 64, "CPUs, each with its own TLB (built when the workload uses the direct map)"));
  public static final Knob TLB_ENTRIES =
      add(Knob.ofInt("machine.tlb-entries", 64, 1, 1_000_000, "direct-map entries each TLB holds before evicting"));
  public static final Knob DIRECT_MAP_PAGE_SIZE =
      add(
          Knob.ofEnum(
              "machine.direct-map-page-size",
              "2m",
              List.of("4k", "2m", "1g"),
              "leaf size of the kernel direct map at boot"));

  // --- folios ---------------------------------------------------------------------------------
  public static final Knob FOLIO_ORDER =
      add(Knob.ofInt("folio.order", 9, 0, 10, "order of the folios the owner allocates (9 = 2M)"));
  public static final Knob FOLIO_COUNT =
      add(Knob.ofInt("folio.count", 2, 1, 4096, "how many such folios the owner allocates at boot"));

  // --- kvm ------------------------------------------------------------------------------------
  public static final Knob VARIANT =
      add(Knob.ofString("scenario.variant", "", "the variant of the scenario's variants { ... } block this run is (--variant)"));

  // --- kernel source ---
  public static final Knob KERNEL_PATCH =
      add(
          Knob.ofStrings(
              "kernel.patch",
              "kernel source files (paths relative to the scenario) whose functions replace the built-in"
                  + " functions of the same name, or add new ones: a patch under review, as a file"));
  public static final Knob KERNEL_PATCH_TEXT =
      add(
          Knob.ofStrings(
              "kernel.patch-text",
              "the text of each kernel.patch file, read when the scenario is loaded (replay files carry it, so a"
                  + " patch replays where its file is not); not for scenario files"));

  public static final Knob KVM_TRY_GET_PFN =
      add(
          Knob.ofEnum(
              "kvm.try-get-pfn",
              "folio-try-get-recheck",
              List.of("get-page-unless-zero", "folio-try-get", "folio-try-get-recheck"),
              "how KVM pins the page behind a PFNMAP pfn: get_page_unless_zero (before the 2024 RFC;"
                  + " tails fail), folio_try_get(page_folio()) (the RFC, no re-check), or gup's"
                  + " try_get_folio() protocol with the re-check"));

  // --- direct map ---
  public static final Knob DIRECT_MAP_FLUSH =
      add(
          Knob.ofEnum(
              "direct-map.flush",
              "before-publish",
              List.of("before-publish", "after-publish", "none"),
              "when the zapper runs flush_tlb_kernel_range() on a page it took out of the direct"
                  + " map: before handing it to the guest (correct), after, or never"));

  public static final Knob RESTORE_ON_FREE =
      add(
          Knob.ofEnum(
              "direct-map.restore-on-free",
              "restore",
              List.of("restore", "skip"),
              "free_folio() of a zapped page: restore its direct-map entry before the page goes back"
                  + " to the allocator, or skip it (v7's AND-for-OR bug: the folio was never marked"
                  + " zapped, so free never restored)"));
  public static final Knob ZAP_ERROR =
      add(
          Knob.ofEnum(
              "direct-map.zap-error",
              "propagate",
              List.of("propagate", "ignore"),
              "what the zapper does when set_direct_map_invalid_noflush() fails (-ENOMEM on a split):"
                  + " fail the fault, or ignore the error and hand the still-mapped page over (race 7)"));

  // --- guest_memfd ---------------------------------------------------------------------------
  public static final Knob GMEM_DIRECT_MAP_REMOVAL =
      add(
          Knob.ofEnum(
              "gmem.direct-map-removal",
              "off",
              List.of("off", "rfc-v3", "per-folio", "filemap"),
              "how guest_memfd takes its folios out of the direct map: off (no removal, the"
                  + " baseline), rfc-v3 (the Oct 2024 RFC as posted: configure after prepare,"
                  + " restore or HWPoison in free_folio), per-folio (v10-v12: zap after prepare in"
                  + " get_pfn and the user fault, restore in free_folio with WARN_ON_ONCE, write()"
                  + " refuses zapped pages), filemap (zap in filemap_add_folio, restore in"
                  + " filemap_remove_folio, kernel writes through a temporary mapping)"));
  public static final Knob GMEM_FOLIO_ORDER =
      add(Knob.ofInt("gmem.folio-order", 0, 0, 9, "order of the folios guest_memfd allocates (9 = 2M)"));
  // --- vm (issue 5: vCPUs, the KVM MMU and invalidation) -------------------------------------
  public static final Knob VM_TYPE =
      add(Knob.ofEnum("vm.type", "sw-protected", List.of("sw-protected", "tdx", "default"),
          "KVM_CREATE_VM type: sw-protected, tdx (private memory), or default (KVM_X86_DEFAULT_VM: no private"
              + " memory; a guest_memfd may be INIT_SHARED, WRITE, NO_DIRECT_MAP, but the model has no fault path"
              + " for it)"));
  public static final Knob GMEM_LOOKUP_MAPPING_RECHECK =
      add(
          Knob.ofEnum(
              "gmem.lookup-mapping-recheck",
              "on",
              List.of("on", "off"),
              "kvm_gmem_get_folio() re-checks folio->mapping once it holds the folio lock, and looks"
                  + " again if a truncation took the folio out meanwhile (filemap_lock_folio();"
                  + " mainline), or uses the folio it found anyway (race 13)"));
  public static final Knob GMEM_MIGRATE_FOLIO =
      add(
          Knob.ofEnum(
              "gmem.migrate-folio",
              "refuse",
              List.of("refuse", "filemap"),
              "guest_memfd's a_ops->migrate_folio: refuse (kvm_gmem_migrate_folio() returns -EINVAL,"
                  + " mainline) or the generic filemap_migrate_folio() (race 11)"));
  public static final Knob GMEM_TEMP_RESTORE =
      add(
          Knob.ofEnum(
              "gmem.temp-restore",
              "folio-lock",
              List.of("folio-lock", "unlocked"),
              "KVM's temporary direct-map restore for its own accesses: under the folio lock from map"
                  + " to unmap (the 2024 RFC's rule), or unlocked (two users of a page nest: race 12)"));
  public static final Knob GMEM_ERROR_FOLIO =
      add(
          Knob.ofEnum(
              "gmem.error-folio",
              "invalidate-lock",
              List.of("invalidate-lock", "trylock"),
              "kvm_gmem_error_folio() under the folio lock memory_failure() holds: take"
                  + " filemap_invalidate_lock_shared() (mainline; the reverse of populate's order,"
                  + " race 15), or only try it and give up (MF_FAILED) when it is taken (a proposal)"));
  public static final Knob KVM_FAULT_RETRY_CHECK =
      add(
          Knob.ofEnum(
              "kvm.fault-retry-check",
              "full",
              List.of("full", "lockless-only", "none"),
              "how a fault notices an invalidation that ran while it slept: the lockless pre-check"
                  + " and mmu_invalidate_retry_gfn() under mmu_lock (mainline), only the lockless"
                  + " one, or none"));
  public static final Knob KVM_GET_PFN_INVALIDATE_LOCK =
      add(
          Knob.ofEnum(
              "kvm.get-pfn-takes-invalidate-lock",
              "off",
              List.of("off", "on"),
              "kvm_gmem_get_pfn() takes filemap_invalidate_lock_shared() (a 2025 patch; race 14)"));
  public static final Knob KVM_HUGEPAGE_ADJUST =
      add(
          Knob.ofEnum(
              "kvm.hugepage-adjust",
              "mainline",
              List.of("pre-9129633d568e", "mainline"),
              "what KVM_SET_MEMORY_ATTRIBUTES' pre-set pass adds to the invalidation range: only the"
                  + " changed gfns (kernels before commit 9129633d568e, May 2025: a fault next to the"
                  + " range can install a 2M leaf over it), or also the partly covered 2M blocks at"
                  + " its ends (mainline)"));
  public static final Knob TDX_SPLIT_BEFORE_ZAP =
      add(
          Knob.ofEnum(
              "tdx.split-before-zap",
              "on",
              List.of("on", "off"),
              "split S-EPT huge leaves that cross the range before a partial zap (seed 003); off:"
                  + " the zap takes the whole 2M leaf"));
  public static final Knob TDX_ATTR_SPLIT_ERROR =
      add(
          Knob.ofEnum(
              "tdx.attr-split-error",
              "posted",
              List.of("posted", "end-invalidation"),
              "KVM_SET_MEMORY_ATTRIBUTES when the pre-set S-EPT split fails: posted (TDX huge-page"
                  + " series RFC v2 and v3: the error jumps past the attribute store and the"
                  + " post-set pass, so kvm_mmu_invalidate_end() never runs and"
                  + " mmu_invalidate_in_progress stays raised), or end-invalidation (still end the"
                  + " invalidation the pre-set pass began)"));
  public static final Knob TDX_PUNCH_HOLE_SPLIT =
      add(
          Knob.ofEnum(
              "tdx.punch-hole-split",
              "v3",
              List.of("rfc-v2", "v3"),
              "the mmu_lock sections of a TD's PUNCH_HOLE with tdx.split-before-zap, as posted: rfc-v2"
                  + " (Aug 2025: begin without a range, the split with its own flush, a failed split"
                  + " still ends the invalidation) or v3 (Jan 2026: begin adds the range, the split"
                  + " section ends the invalidation itself when it fails)"));
  public static final Knob GMEM_INVALIDATE_RANGE =
      add(
          Knob.ofEnum(
              "gmem.invalidate-range",
              "exact",
              List.of("exact", "folio-rounded"),
              "gfns kvm_gmem_invalidate_begin() covers: the punched range, or rounded out to folio"
                  + " bounds"));
  public static final Knob GMEM_TRUNCATE_RANGE =
      add(
          Knob.ofEnum(
              "gmem.truncate-range",
              "exact",
              List.of("exact", "folio-rounded", "zero-partial"),
              "pages the punch frees: exactly the range (boundary folios are split), every folio"
                  + " the range touches, whole, or (the hugetlb guest_memfd RFC v2) whole folios"
                  + " inside the range freed and the covered part of a partial one zeroed in place"
                  + " through the kernel's mapping (folio_zero_segment via kmap_local_page: the"
                  + " direct map on x86-64), the folio staying in the page cache"));
  public static final Knob SPLIT_ALLOC_FAIL =
      add(
          Knob.ofRate(
              "faults.split-alloc-fail",
              0.0,
              "chance that the page table an S-EPT huge-leaf split needs cannot be allocated"
                  + " (-ENOMEM)"));

  // --- faults --------------------------------------------------------------------------------
  public static final Knob PGTABLE_ALLOC_FAIL =
      add(
          Knob.ofRate(
              "faults.pgtable-alloc-fail",
              0.0,
              "chance that a page-table allocation (a direct-map split) fails with -ENOMEM"));
  public static final Knob PREEMPT_RATE =
      add(
          Knob.ofRate(
              "faults.preempt-rate",
              0.0,
              "akka runtime: chance that a thread is preempted (an IRQ, a reschedule) before a step"));
  public static final Knob PREEMPT_STEPS =
      add(
          Knob.ofInt(
              "faults.preempt-steps",
              2000,
              0,
              10_000_000,
              "akka runtime: a preempted thread stays off the CPU for up to this many steps of"
                  + " the machine (uniform; converted to wall time with the measured step time)"));

  public static final Knob PREEMPT_PER_THREAD =
      add(
          Knob.ofInt(
              "faults.preempt-per-thread",
              1,
              0,
              1_000_000,
              "akka runtime: most preemptions one thread suffers in one run (bounded, as pct bounds"
                  + " its change points, so a long path does not soak up every delay)"));

  public static final Knob PREEMPT_SLOW_LANE =
      add(
          Knob.ofRate(
              "faults.preempt-slow-lane",
              0.5,
              "akka runtime: chance that a thread stalls once in a run, at a step drawn uniformly over"
                  + " the steps it made in its previous run (a change point, as pct draws them), so another"
                  + " thread's whole path fits between two of its steps even when every step is a network"
                  + " round trip"));

  public static final Knob PREEMPT_SLOW_STEPS =
      add(
          Knob.ofInt(
              "faults.preempt-slow-steps",
              200,
              0,
              1_000_000,
              "akka runtime: a stall lasts up to this many steps of the machine (uniform; converted with"
                  + " the measured step time; at least the scheduler's tick)"));

  public static final Knob PREEMPT_UNLOCK =
      add(
          Knob.ofRate(
              "faults.preempt-unlock",
              0.5,
              "akka runtime: chance that a thread is preempted once in a run right after a lock release"
                  + " (its preempt_enable(), or its wake of the waiter it hands the lock to), at a release drawn"
                  + " uniformly over those it made in its previous run; the stall is drawn as"
                  + " faults.preempt-slow-steps says, and the waiter goes on meanwhile"));

  public static final Knob PREEMPT_PACE_LANE =
      add(
          Knob.ofRate(
              "faults.preempt-pace-lane",
              0.5,
              "akka runtime: chance that a thread is paced for a whole run: each of its steps leaves"
                  + " later by one delay drawn per run (as pct draws a thread's priority), so a window"
                  + " between two threads' paths opens by their relative speed, not by one lucky stall"));

  public static final Knob PREEMPT_PACE_STEPS =
      add(
          Knob.ofInt(
              "faults.preempt-pace-steps",
              2,
              0,
              1_000_000,
              "akka runtime: a paced thread's per-step delay is drawn uniformly up to this many steps of"
                  + " the machine (converted with the measured step time; not applied when that is below the"
                  + " scheduler's tick, as on one node)"));

  public static final Knob PREEMPT_STAGGER =
      add(
          Knob.ofRate(
              "faults.preempt-stagger",
              0.5,
              "akka runtime: chance that a run starts its threads staggered, as pct's initial priorities"
                  + " order them: in an order drawn per run, each thread starts one gap after the one before;"
                  + " the gap is drawn log-uniformly between one step and the measured length of a run, so a"
                  + " whole path fits between two threads' starts as often as a short offset does"));

  // --- runtime (akka) -------------------------------------------------------------------------
  public static final Knob PARALLEL_RUNS =
      add(
          Knob.ofInt(
              "runtime.parallel-runs",
              64,
              1,
              1024,
              "akka runtime: machines (runs) in flight at once, each with its own actors"));
  public static final Knob RUN_TIMEOUT =
      add(
          Knob.ofDuration(
              "runtime.run-timeout",
              "10s",
              "akka runtime: a run whose threads have not all finished by then is probed for lost"
                  + " messages or a deadlock"));

  // --- run ------------------------------------------------------------------------------------
  public static final Knob STRATEGY =
      add(
          Knob.ofEnum(
              "run.strategy",
              "mix",
              List.of("random", "pct", "pct-racing", "pos", "mix", "dfs"),
              "controlled-runtime scheduler: random (uniform over in-flight messages), pct"
                  + " (priorities with d-1 change points), pct-racing (change points on racing steps only), pos"
                  + " (partial order sampling), mix (pos on half the runs, pct on the other half) or dfs (every interleaving once, up to"
                  + " equivalence; see run.preemption-bound)"));
  public static final Knob SCHEDULE =
      add(
          Knob.ofStrings(
              "run.schedule",
              "a reviewer's claimed interleaving, one step per entry, \"actor: function:point\" in the claimed order:"
                  + " dfs searches only the interleavings that make these steps in this order, and answers reachable"
                  + " (with the run) or unreachable (with where each actor was)"));
  public static final Knob SCHEDULE_FILE =
      add(
          Knob.ofString(
              "run.schedule-file",
              "",
              "as run.schedule, from a file (relative to the scenario): one step per line, or the lists' two-column"
                  + " diagram (a header 'vcpu0 | vmm' or 'CPU0 | CPU1', then one step per cell, top to bottom)"));
  public static final Knob RESUME =
      add(
          Knob.ofString(
              "run.resume",
              "",
              "dfs: go on from the frontier.json an earlier search of this scenario wrote when its budget ended"));
  public static final Knob SHARD =
      add(
          Knob.ofString(
              "run.shard",
              "",
              "dfs: \"K/N\" searches the K-th of N shards: the search is split into pieces at run.shard-depth choice"
                  + " points, and this shard takes every N-th piece; the N shards together make the whole search"));
  public static final Knob SHARD_DEPTH =
      add(Knob.ofInt("run.shard-depth", 8, 1, 10_000, "dfs with run.shard: the choice points a piece's prefix fixes"));
  public static final Knob DFS_DATA =
      add(
          Knob.ofEnum(
              "run.dfs-data",
              "search",
              List.of("search", "seed"),
              "dfs: the model's open choices (which page a guest touches, an injected failure) are searched"
                  + " (search) or drawn as the run seed draws them, per component (seed: a search of schedules alone,"
                  + " for that data)"));

  public static final Knob DFS_ESTIMATE =
      add(
          Knob.ofInt(
              "run.dfs-estimate",
              0,
              0,
              100_000_000,
              "dfs: instead of the search, walk this many random paths down its tree and estimate how many runs"
                  + " it makes (Knuth's estimator); 0: search"));

  public static final Knob PREEMPTION_BOUND =
      add(
          Knob.ofInt(
              "run.preemption-bound",
              -1,
              -1,
              1000,
              "dfs: explore every schedule with at most this many preemptions (no partial-order"
                  + " reduction); -1: every schedule, with sleep sets"));
  public static final Knob PCT_DEPTH =
      add(Knob.ofInt("run.pct-depth", 3, 1, 20, "pct bug depth d: d-1 priority change points"));
  public static final Knob SEED = add(Knob.ofLong("run.seed", 1, "seed the run seeds derive from"));
  public static final Knob BUDGET =
      add(Knob.ofBudget("run.budget", "10s", "how long to hunt: 30s, 2m, or 5000runs"));
  public static final Knob COVERAGE =
      add(
          Knob.ofBool(
              "run.coverage",
              true,
              "count step outcomes and race windows over the hunt (controlled runtime; costs about a fifth of"
                  + " the step rate, see docs/ARCHITECTURE.md)"));
  public static final Knob MAX_STEPS =
      add(
          Knob.ofInt(
              "run.max-steps",
              1_000_000,
              100,
              Integer.MAX_VALUE,
              "deliveries after which one run is declared stuck (livelock)"));

  // --- expect ---------------------------------------------------------------------------------
  public static final Knob EXPECT_VIOLATIONS =
      add(Knob.ofOracles("expect.violations", "oracles that must fire within the budget"));
  public static final Knob EXPECT_MAY_ALSO =
      add(
          Knob.ofOracles(
              "expect.may-also",
              "oracles that may fire too (consequences of an expected violation); any other is a"
                  + " mismatch"));
  public static final Knob EXPECT_WINDOWS =
      add(
          Knob.ofStrings(
              "expect.windows",
              "race windows the hunt must open, each \"A -> B\" (another lane's step landed between this"
                  + " lane's steps A and B on one component) or \"A -> B <- C\" (step C did); one never"
                  + " opened is \"window not reached\" (exit 1), even for a clean scenario"));
  public static final Knob EXPECT_CLEAN =
      add(
          Knob.ofBool(
              "expect.clean",
              false,
              "no oracle may fire; when true, expect.violations and expect.may-also are ignored"));

  private Knobs() {}

  public static Map<String, Knob> all() {
    return java.util.Collections.unmodifiableMap(ALL);
  }
}
