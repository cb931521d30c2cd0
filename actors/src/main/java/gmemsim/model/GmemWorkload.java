package gmemsim.model;

import gmemsim.model.cpu.Cpu;
import gmemsim.model.cpu.KernelClearPagePath;
import gmemsim.model.cpu.SpeculativeReadPath;
import gmemsim.model.cpu.Tlb;
import gmemsim.model.dmap.DirectMap;
import gmemsim.model.gmem.DirectMapRemoval;
import gmemsim.model.gmem.Futex;
import gmemsim.model.gmem.FutexPath;
import gmemsim.model.gmem.GmemEnv;
import gmemsim.model.gmem.GmemInode;
import gmemsim.model.gmem.GuestReleasePath;
import gmemsim.model.gmem.KvmGmemFaultUserMappingPath;
import gmemsim.model.gmem.KvmGmemGetPfnPath;
import gmemsim.model.gmem.KvmGmemPunchHolePath;
import gmemsim.model.gmem.KvmGmemWritePath;
import gmemsim.model.gmem.Task;
import gmemsim.model.gmem.VirtioBalloon;
import gmemsim.model.gmem.VmmReclaimPath;
import gmemsim.model.thread.Path;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import java.util.ArrayList;
import java.util.List;

/**
 * A guest_memfd with NO_DIRECT_MAP asked for (§5, §7) and the tasks that use it, each on its own
 * CPU: cpu1 runs the VMM, which loads the image (mmap + memcpy, or write()), rewrites it, starts
 * the vCPU, punches out what the balloon returns and finally releases the file; cpu0 runs the
 * vCPU, which once started faults the file's pages in (kvm_gmem_get_pfn) and writes private data
 * to them, then gives some back through the balloon. Every CPU makes speculative direct-map loads (of the pages guest_memfd can
 * get, and as many others) and legitimate __GFP_ZERO allocations between its tasks' system calls.
 */
final class GmemWorkload {
  private static final int VM = 1;
  private static final int INODE_ID = 1;

  private GmemWorkload() {}

  static boolean wanted(Scenario s) {
    return s.intValue(Knobs.GMEM_PAGES) > 0;
  }

  static void add(Scenario s, List<Component> comps, Topology topo, int pages) {
    int size = s.intValue(Knobs.GMEM_PAGES);
    int order = s.intValue(Knobs.GMEM_FOLIO_ORDER);
    int ncpu = s.intValue(Knobs.CPUS);
    if (ncpu < 2) {
      throw new ScenarioException(s.where(Knobs.CPUS) + ": the guest_memfd workload needs 2 CPUs (vCPU and VMM), got " + ncpu);
    }
    if (size % (1 << order) != 0) {
      throw new ScenarioException(s.where(Knobs.GMEM_PAGES) + ": " + size + " pages is not a whole number of order-" + order + " folios");
    }
    if (s.intValue(Knobs.ZAPS) > 0) {
      throw new ScenarioException(s.where(Knobs.ZAPS) + ": the zapper workload and the guest_memfd workload exclude each other");
    }
    int faults = s.intValue(Knobs.GMEM_FAULT_PAGES) == 0 ? size : s.intValue(Knobs.GMEM_FAULT_PAGES);
    if (faults > size) {
      throw new ScenarioException(s.where(Knobs.GMEM_FAULT_PAGES) + ": " + faults + " is more than gmem.pages " + size);
    }
    int balloon = s.intValue(Knobs.GMEM_BALLOON_PAGES);
    if (balloon > faults) {
      throw new ScenarioException(s.where(Knobs.GMEM_BALLOON_PAGES) + ": " + balloon + " is more than the " + faults + " pages the vCPU faults in");
    }
    if (s.intValue(Knobs.KVM_TEMP_INDEX) >= size) {
      throw new ScenarioException(s.where(Knobs.KVM_TEMP_INDEX) + ": beyond gmem.pages " + size);
    }
    if (s.intValue(Knobs.KVM_TEMP_WRITERS) + (s.intValue(Knobs.COMPACTION_SCANS) > 0 ? 1 : 0) > ncpu - 2) {
      throw new ScenarioException(s.where(Knobs.KVM_TEMP_WRITERS) + ": " + s.intValue(Knobs.KVM_TEMP_WRITERS)
          + " writers need machine.cpus of at least " + (s.intValue(Knobs.KVM_TEMP_WRITERS) + 2) + ", got " + ncpu);
    }
    if (2L * size > pages) {
      throw new ScenarioException(s.where(Knobs.GMEM_PAGES) + ": " + size + " pages need machine.memory of at least twice that");
    }
    DirectMapRemoval design = DirectMapRemoval.fromKnob(s.string(Knobs.GMEM_DIRECT_MAP_REMOVAL));

    int dmap = comps.size();
    comps.add(new DirectMap("dmap", MachineBuilder.BASE_PFN, pages, DirectMapWorkload.pageSize(s)));
    int inode = comps.size();
    GmemInode gmem =
        new GmemInode("gmem0", INODE_ID, size, GmemInode.FLAG_MMAP | GmemInode.FLAG_INIT_SHARED | GmemInode.FLAG_NO_DIRECT_MAP);
    comps.add(gmem);
    int balloonDev = comps.size();
    comps.add(new VirtioBalloon("balloon0"));
    int go = comps.size();
    comps.add(new Futex("vmm-go"));
    // KVM's own writes go to pages the guest has faulted in (prepared and, per folio, zapped).
    // With retouches the VMM releases the file only once the vCPU is done (KVM holds the file
    // through the memslot while the vCPU can still fault).
    int vcpuDone = -1;
    if (s.bool(Knobs.GUEST_RETOUCH)) {
      vcpuDone = comps.size();
      comps.add(new Futex("vcpu-done"));
    }
    int faulted = -1;
    int writers = s.intValue(Knobs.KVM_TEMP_WRITERS);
    int scans = s.intValue(Knobs.COMPACTION_SCANS);
    // Compaction runs on the CPU after the writers'; like them it starts once the guest faulted.
    int[] written = new int[writers + (scans > 0 ? 1 : 0)];
    if (written.length > 0) {
      faulted = comps.size();
      comps.add(new Futex("guest-faulted"));
      // ... and finish before the VMM releases the file (KVM holds it through the memslot).
      for (int w = 0; w < written.length; w++) {
        written[w] = comps.size();
        comps.add(new Futex((w < writers ? "kvm-write" + w : "kcompactd") + "-done"));
      }
    }
    int[] cpus = new int[ncpu];
    for (int c = 0; c < ncpu; c++) cpus[c] = comps.size() + c;

    // Speculative loads aim at the pages guest_memfd allocations get (the allocator hands out the
    // low frames first) and as many others.
    int[] pool = new int[Math.min(pages, 2 * size)];
    for (int i = 0; i < pool.length; i++) pool[i] = MachineBuilder.BASE_PFN + i;

    int reads = s.intValue(Knobs.SPEC_READS);
    int allocs = s.intValue(Knobs.KERNEL_ALLOCS);
    Task vcpu = new Task("vcpu0");
    Task vmm = new Task("vmm");
    for (int c = 0; c < ncpu; c++) {
      Tlb tlb = new Tlb(s.intValue(Knobs.TLB_ENTRIES));
      GmemEnv env = new GmemEnv(topo, inode, gmem.name(), INODE_ID, size, order, dmap, cpus, tlb, design, VM,
          gmemsim.model.gmem.TruncateRange.fromKnob(s.string(Knobs.GMEM_TRUNCATE_RANGE)),
          s.string(Knobs.GMEM_LOOKUP_MAPPING_RECHECK).equals("on"), null, true);
      List<Path> tasks = new ArrayList<>();
      if (c == 0) {
        tasks.add(new FutexPath(vcpu, go, false));
        for (int i = 0; i < faults; i++) tasks.add(new KvmGmemGetPfnPath(env, vcpu, i));
        if (faulted >= 0) tasks.add(new FutexPath(vcpu, faulted, true));
        for (int k = 0; k < balloon; k++) {
          tasks.add(new GuestReleasePath(env, vcpu, faults - 1 - k, balloonDev, s.bool(Knobs.GUEST_SCRUB)));
          // A guest that touches a page it just gave back (buggy, or deflating under pressure):
          // the fault races the VMM's punch of that page.
          if (s.bool(Knobs.GUEST_RETOUCH)) tasks.add(new KvmGmemGetPfnPath(env, vcpu, faults - 1 - k));
        }
        if (vcpuDone >= 0) tasks.add(new FutexPath(new Task("vcpu0 exit"), vcpuDone, true));
      } else if (c == 1) {
        String populate = s.string(Knobs.GMEM_POPULATE);
        for (int i = 0; i < size; i++) {
          if (populate.equals("mmap")) tasks.add(new KvmGmemFaultUserMappingPath(env, vmm, i));
          else if (populate.equals("write")) tasks.add(new KvmGmemWritePath(env, vmm, i));
        }
        for (int w = 0; w < s.intValue(Knobs.GMEM_REWRITES); w++) {
          for (int i = 0; i < size; i++) tasks.add(new KvmGmemWritePath(env, vmm, i));
        }
        tasks.add(new FutexPath(vmm, go, true));
        for (int k = 0; k < balloon; k++) tasks.add(new VmmReclaimPath(env, vmm, balloonDev));
        for (int w : written) tasks.add(new FutexPath(vmm, w, false));
        if (vcpuDone >= 0) tasks.add(new FutexPath(vmm, vcpuDone, false));
        tasks.add(new KvmGmemPunchHolePath(env, vmm, 0, size, true));
      }
      if (c >= 2 && c - 2 < s.intValue(Knobs.KVM_TEMP_WRITERS)) {
        Task kvmTask = new Task("kvm" + c);
        tasks.add(new FutexPath(kvmTask, faulted, false));
        tasks.add(new gmemsim.model.gmem.KvmTempRestoreWritePath(env, kvmTask, s.intValue(Knobs.KVM_TEMP_INDEX),
            s.string(Knobs.GMEM_TEMP_RESTORE).equals("folio-lock")));
        tasks.add(new FutexPath(new Task("kvm" + c + " done"), written[c - 2], true));
      }
      if (scans > 0 && c == 2 + writers) {
        Task kcompactd = new Task("kcompactd");
        tasks.add(new FutexPath(kcompactd, faulted, false));
        for (int i = 0; i < scans; i++) {
          tasks.add(new gmemsim.model.gmem.MigrateFolioPath(env, kcompactd, i % size,
              s.string(Knobs.GMEM_MIGRATE_FOLIO).equals("filemap")));
        }
        tasks.add(new FutexPath(new Task("kcompactd done"), written[writers], true));
      }
      comps.add(new Cpu("cpu" + c, tlb, interleave(tasks, reads, allocs, tlb, topo, dmap, pool)));
    }
  }

  /**
   * What a CPU executes: its tasks with a speculative load after each system call, then its
   * remaining speculative loads interleaved with its __GFP_ZERO allocations.
   */
  static List<Path> interleave(
      List<Path> tasks, int reads, int allocs, Tlb tlb, Topology topo, int dmap, int[] pool) {
    List<Path> out = new ArrayList<>();
    int r = 0;
    for (Path p : tasks) {
      out.add(p);
      if (r < reads) {
        out.add(new SpeculativeReadPath(tlb, topo, dmap, pool));
        r++;
      }
    }
    for (int i = 0; r < reads || i < allocs; i++) {
      if (r < reads) {
        out.add(new SpeculativeReadPath(tlb, topo, dmap, pool));
        r++;
      }
      if (i < allocs) out.add(new KernelClearPagePath(tlb, topo, dmap));
    }
    return out;
  }
}
