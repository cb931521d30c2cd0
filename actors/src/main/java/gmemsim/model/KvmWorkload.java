package gmemsim.model;

import gmemsim.model.cpu.Cpu;
import gmemsim.model.cpu.GuestTlb;
import gmemsim.model.cpu.Tlb;
import gmemsim.model.dmap.DirectMap;
import gmemsim.model.gmem.DirectMapRemoval;
import gmemsim.model.gmem.Futex;
import gmemsim.model.gmem.FutexPath;
import gmemsim.model.gmem.GmemEnv;
import gmemsim.model.gmem.GmemInode;
import gmemsim.model.gmem.KvmGmemPopulatePath;
import gmemsim.model.gmem.KvmGmemPunchHolePath;
import gmemsim.model.gmem.Task;
import gmemsim.model.gmem.VmmCloseGmemPath;
import gmemsim.model.kvm.FaultRetryCheck;
import gmemsim.model.kvm.GuestAccessPath;
import gmemsim.model.kvm.HugepageAdjust;
import gmemsim.model.kvm.Kvm;
import gmemsim.model.kvm.KvmBinding;
import gmemsim.model.kvm.KvmDesign;
import gmemsim.model.kvm.KvmSetMemoryAttributesPath;
import gmemsim.model.kvm.TdgMemPageAcceptPath;
import gmemsim.model.kvm.VmType;
import gmemsim.model.mm.PageTag;
import gmemsim.model.thread.Path;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import java.util.ArrayList;
import java.util.List;

/**
 * A VM whose private memory is one guest_memfd bound to one memslot (issue 5). vCPU v runs on
 * cpu v: a TD's vCPU first ACCEPTs each page, then every vCPU writes private data to its pages
 * (index ≡ v mod vcpus; each first touch is an EPT violation and a fault through
 * kvm_gmem_get_pfn()), lets the VMM go, and makes {@code vm.guest-rounds} more passes, loads
 * and stores, over its pages. A TD never touches the pages it asked the VMM to take away (it
 * would have to accept them again); a sw-protected guest simply uses them again, faulting them
 * back in. The VMM (the next CPU) waits for every vCPU (unless vmm.waits-for-guest is false: then
 * it races the first touches), then: punch-hole: fallocate(PUNCH_HOLE)
 * on the range; conversion: KVM_SET_MEMORY_ATTRIBUTES(shared) on the range, then the punch that
 * discards its private backing; populate: KVM_TDX_INIT_MEM_REGION of the first pages before any
 * vCPU runs (the vCPUs wait for it instead); release: close() at once, while the vCPUs fault. In the
 * other workloads the VMM closes the file once every vCPU thread has exited, so the release and
 * the eviction of the page cache end every run.
 */
final class KvmWorkload {
  private static final int VM = 1;
  private static final int INODE_ID = 1;
  /** The memslot starts at guest physical 2 GiB. */
  private static final long BASE_GFN = 0x80000;

  private KvmWorkload() {}

  static boolean wanted(Scenario s) {
    return !s.string(Knobs.VM_WORKLOAD).equals("none");
  }

  static void add(Scenario s, List<Component> comps, Topology topo, int pages) {
    String workload = s.string(Knobs.VM_WORKLOAD);
    int size = s.intValue(Knobs.GMEM_PAGES);
    int order = s.intValue(Knobs.GMEM_FOLIO_ORDER);
    int vcpus = s.intValue(Knobs.VM_VCPUS);
    VmType type = VmType.fromKnob(s.string(Knobs.VM_TYPE));
    validate(s, workload, size, order, vcpus, type, pages);
    int rangeStart = s.intValue(Knobs.VMM_RANGE_START);
    int rangeEnd = rangeStart + s.intValue(Knobs.VMM_RANGE_PAGES);
    int touched = s.intValue(Knobs.GMEM_FAULT_PAGES) == 0 ? size : s.intValue(Knobs.GMEM_FAULT_PAGES);

    KvmDesign design = MachineBuilder.kvmDesign(s);

    int dmap = comps.size();
    comps.add(new DirectMap("dmap", MachineBuilder.BASE_PFN, pages, DirectMapWorkload.pageSize(s)));
    int inode = comps.size();
    GmemInode gmem = new GmemInode("gmem0", INODE_ID, size, 0);
    comps.add(gmem);
    int kvm = comps.size();
    comps.add(new Kvm("kvm0", VM, type, BASE_GFN, size, s.rate(Knobs.SPLIT_ALLOC_FAIL)));
    int[] go = new int[vcpus];
    int[] exit = new int[vcpus];
    int back = -1;
    if (workload.equals("conversion") && s.bool(Knobs.VMM_CONVERT_BACK)) {
      back = comps.size();
      comps.add(new Futex("converted-back"));
    }
    for (int v = 0; v < vcpus; v++) {
      go[v] = comps.size();
      comps.add(new Futex(workload.equals("populate") ? "td-finalized" + v : "vcpu" + v + "-done"));
      exit[v] = comps.size();
      comps.add(new Futex("vcpu" + v + "-exit"));
    }
    int ncpu = vcpus + 1;
    int[] cpus = new int[ncpu];
    for (int c = 0; c < ncpu; c++) cpus[c] = comps.size() + c;
    int[] vcpuCpus = java.util.Arrays.copyOf(cpus, vcpus);
    KvmBinding binding = new KvmBinding(kvm, VM, type, BASE_GFN, vcpuCpus, design);

    Task vmm = new Task("vmm");
    for (int c = 0; c < ncpu; c++) {
      Tlb tlb = new Tlb(s.intValue(Knobs.TLB_ENTRIES));
      GmemEnv env = new GmemEnv(topo, inode, gmem.name(), INODE_ID, size, order, dmap, cpus, tlb,
          DirectMapRemoval.OFF, VM, gmemsim.model.gmem.TruncateRange.fromKnob(s.string(Knobs.GMEM_TRUNCATE_RANGE)),
          s.string(Knobs.GMEM_LOOKUP_MAPPING_RECHECK).equals("on"), binding, false);
      GuestTlb guestTlb = new GuestTlb();
      List<Path> paths = new ArrayList<>();
      if (c < vcpus) {
        Task task = new Task("vcpu" + c);
        vcpuProgram(s, workload, env, guestTlb, task, c, vcpus, touched, rangeStart, rangeEnd, go[c], paths);
        if (back >= 0 && c == 0) {
          // The guest takes its pages back as private: accept (TD) and write them again.
          paths.add(new FutexPath(task, back, false));
          for (int i = rangeStart; i < rangeEnd; i++) {
            if (env.kvm().tdx()) paths.add(new TdgMemPageAcceptPath(env, task, i));
            paths.add(new GuestAccessPath(env, guestTlb, task, i, true, PageTag.guestPrivate(env.vm())));
          }
        }
        // The vCPU thread exits and says so even when its guest died.
        paths.add(new FutexPath(new Task("vcpu" + c + " thread"), exit[c], true));
      } else {
        vmmProgram(s, workload, env, vmm, rangeStart, rangeEnd, go, paths);
        if (back >= 0) {
          paths.add(new KvmSetMemoryAttributesPath(env, vmm, rangeStart, rangeEnd - rangeStart, true));
          paths.add(new FutexPath(vmm, back, true));
        }
        if (!workload.equals("release")) {
          // Teardown: once every vCPU thread has exited, the VMM closes the file (release, eviction).
          for (int e : exit) paths.add(new FutexPath(vmm, e, false));
          paths.add(new VmmCloseGmemPath(env, vmm));
        }
      }
      comps.add(new Cpu("cpu" + c, tlb, guestTlb, paths));
    }
    int mf = s.intValue(Knobs.VM_MEMORY_FAILURE_INDEX);
    if (mf >= 0) {
      // The machine check's memory_failure() runs in a kernel thread of its own (kthread work).
      GmemEnv env = new GmemEnv(topo, inode, gmem.name(), INODE_ID, size, order, dmap, cpus, new Tlb(s.intValue(Knobs.TLB_ENTRIES)),
          DirectMapRemoval.OFF, VM, gmemsim.model.gmem.TruncateRange.fromKnob(s.string(Knobs.GMEM_TRUNCATE_RANGE)),
          s.string(Knobs.GMEM_LOOKUP_MAPPING_RECHECK).equals("on"), binding, false);
      comps.add(new gmemsim.model.thread.HostThread("memory_failure",
          List.of(new gmemsim.model.gmem.MemoryFailurePath(env, mf, design.errorFolioTrylock()))));
    }
  }

  private static void vcpuProgram(Scenario s, String workload, GmemEnv env, GuestTlb tlb, Task task, int v, int vcpus,
      int touched, int rangeStart, int rangeEnd, int go, List<Path> paths) {
    boolean tdx = env.kvm().tdx();
    int data = PageTag.guestPrivate(env.vm());
    if (workload.equals("populate")) paths.add(new FutexPath(task, go, false));
    for (int i = v; i < touched; i += vcpus) {
      if (tdx) paths.add(new TdgMemPageAcceptPath(env, task, i));
      paths.add(new GuestAccessPath(env, tlb, task, i, true, data));
    }
    if (!workload.equals("populate")) paths.add(new FutexPath(task, go, true));
    for (int round = 0; round < s.intValue(Knobs.VM_GUEST_ROUNDS); round++) {
      for (int i = v; i < touched; i += vcpus) {
        if (tdx && i >= rangeStart && i < rangeEnd) continue;
        paths.add(new GuestAccessPath(env, tlb, task, i, round % 2 == 1, data));
      }
    }
  }

  private static void vmmProgram(Scenario s, String workload, GmemEnv env, Task vmm, int rangeStart, int rangeEnd,
      int[] go, List<Path> paths) {
    int nr = rangeEnd - rangeStart;
    boolean waits = s.bool(Knobs.VMM_WAITS);
    switch (workload) {
      case "punch-hole" -> {
        if (waits) for (int g : go) paths.add(new FutexPath(vmm, g, false));
        paths.add(new KvmGmemPunchHolePath(env, vmm, rangeStart, nr, false));
      }
      case "conversion" -> {
        if (waits) for (int g : go) paths.add(new FutexPath(vmm, g, false));
        paths.add(new KvmSetMemoryAttributesPath(env, vmm, rangeStart, nr, false));
        paths.add(new KvmGmemPunchHolePath(env, vmm, rangeStart, nr, false));
      }
      case "populate" -> {
        paths.add(new KvmGmemPopulatePath(env, vmm, 0, s.intValue(Knobs.VM_POPULATE_PAGES)));
        for (int g : go) paths.add(new FutexPath(vmm, g, true));
      }
      case "release" -> paths.add(new VmmCloseGmemPath(env, vmm));
      default -> throw new IllegalStateException(workload);
    }
  }

  private static void validate(Scenario s, String workload, int size, int order, int vcpus, VmType type, int pages) {
    if (!type.privateMem()) {
      throw new ScenarioException(s.where(Knobs.VM_TYPE) + ": the VM workloads fault private memory; a default VM has"
          + " none (not modelled: faults of shared guest_memfd memory)");
    }
    if (size <= 0) throw new ScenarioException(s.where(Knobs.GMEM_PAGES) + ": a VM workload needs a guest_memfd (gmem.pages > 0)");
    if (size % (1 << order) != 0) {
      throw new ScenarioException(s.where(Knobs.GMEM_PAGES) + ": " + size + " pages is not a whole number of order-" + order + " folios");
    }
    if (2L * size > pages) {
      throw new ScenarioException(s.where(Knobs.GMEM_PAGES) + ": " + size + " pages need machine.memory of at least twice that");
    }
    if (s.intValue(Knobs.CPUS) < vcpus + 1) {
      throw new ScenarioException(s.where(Knobs.CPUS) + ": " + vcpus + " vCPUs and the VMM need " + (vcpus + 1) + " CPUs, got " + s.intValue(Knobs.CPUS));
    }
    if (!s.string(Knobs.GMEM_DIRECT_MAP_REMOVAL).equals("off")) {
      throw new ScenarioException(s.where(Knobs.GMEM_DIRECT_MAP_REMOVAL) + ": the VM workloads model guest_memfd without direct-map removal; set it to off");
    }
    if (s.intValue(Knobs.ZAPS) > 0) {
      throw new ScenarioException(s.where(Knobs.ZAPS) + ": the zapper workload and a VM workload exclude each other");
    }
    if (s.intValue(Knobs.VM_MEMORY_FAILURE_INDEX) >= size) {
      throw new ScenarioException(s.where(Knobs.VM_MEMORY_FAILURE_INDEX) + ": beyond gmem.pages " + size);
    }
    int start = s.intValue(Knobs.VMM_RANGE_START);
    int end = start + s.intValue(Knobs.VMM_RANGE_PAGES);
    if (end > size) {
      throw new ScenarioException(s.where(Knobs.VMM_RANGE_PAGES) + ": range [" + start + ", " + end + ") is beyond gmem.pages " + size);
    }
    if (s.intValue(Knobs.GMEM_FAULT_PAGES) > size) {
      throw new ScenarioException(s.where(Knobs.GMEM_FAULT_PAGES) + ": more than gmem.pages " + size);
    }
    if (workload.equals("populate")) {
      if (type != VmType.TDX) {
        throw new ScenarioException(s.where(Knobs.VM_TYPE) + ": populate is modelled for TDX (tdx_gmem_post_populate) only");
      }
      int p = s.intValue(Knobs.VM_POPULATE_PAGES);
      if (p <= 0 || p > size) {
        throw new ScenarioException(s.where(Knobs.VM_POPULATE_PAGES) + ": must be 1.." + size + " for the populate workload, got " + p);
      }
    }
  }
}
