package gmemsim.model.program;

import gmemsim.util.Suggest;
import gmemsim.model.Component;
import gmemsim.model.MachineBuilder;
import gmemsim.model.Topology;
import gmemsim.model.cpu.GuestTlb;
import gmemsim.model.cpu.Tlb;
import gmemsim.model.dmap.DirectMap;
import gmemsim.model.gmem.Futex;
import gmemsim.model.gmem.GmemInode;
import gmemsim.model.gmem.VirtioBalloon;
import gmemsim.model.kvm.Kvm;
import gmemsim.model.kvm.KvmBinding;
import gmemsim.model.mm.Memory;
import gmemsim.model.mm.UserMm;
import gmemsim.model.kvm.VmType;
import gmemsim.model.exec.KernelEnv;
import gmemsim.model.exec.KernelPrograms;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.thread.SyscallReturn;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import gmemsim.model.Errno;
import gmemsim.scenario.program.ActorDecl;
import gmemsim.scenario.program.OpArgs;
import gmemsim.scenario.program.OpCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a machine from the actors a scenario declares. First the layout: the guest_memfd the
 * first successful {@code create} makes and the memslot the first successful {@code bind} makes
 * exist from boot (no other actor can reach the file before its creator hands it on, so building
 * them first changes no interleaving; the calls stay in the program for their results), then the
 * futexes the programs name, then one component per actor in the order declared, its program
 * turned into kernel paths operation by operation.
 */
public final class ProgramBuilder {
  private static final int INODE_ID = 1;

  private ProgramBuilder() {}

  public static void build(Scenario s, List<Component> comps, Topology topo, int pages) {
    try {
      layOut(s, comps, topo, pages);
    } finally {
      s.reader(null);
    }
  }

  /** The guest_memfd a successful create asks for. */
  private record FileSpec(int pages, int order, List<String> flags, String madeBy) {}

  /**
   * Everything the programs decide about the machine's layout, worked out (and checked) once per
   * scenario: the components to build per run follow from it without reading a program again.
   */
  private record Plan(Map<ActorDecl, ActorKind> kinds, VmType type, boolean directMap, int guestPages,
      String guestPageHolder, String anonOwner, FileSpec file, long bindGfn, String bindMadeBy, List<String> futexes,
      boolean balloon, List<String> handoffs, boolean processMm, List<SrcBuffer> srcs) {}

  /** The source buffer of one written populate: its pages, written by the VMM beforehand or never touched. */
  private record SrcBuffer(String path, int pages, boolean written) {}

  private static Plan plan(Scenario s, List<ActorDecl> decls, int pages) {
    Map<ActorDecl, ActorKind> kinds = new LinkedHashMap<>();
    for (ActorDecl d : decls) kinds.put(d, kind(d));
    for (ActorDecl d : decls) for (OpCall c : d.program()) checkDomain(d, kinds.get(d), c);
    for (ActorDecl d : decls) checkSize(d);
    List<String> handoffs = checkHandOffs(decls);
    checkFutexes(decls);
    Set<String> used = new HashSet<>();
    for (ActorDecl d : decls) for (OpCall c : d.program()) used.add(c.op());
    boolean fileOps = used.contains("create");
    VmType type = fileOps ? VmType.fromKnob(s.string(Knobs.VM_TYPE)) : VmType.SW_PROTECTED;
    boolean anonRam = used.stream().anyMatch(ANON_OPS::contains);
    if (anonRam && fileOps) {
      throw new ScenarioException(s.where(Knobs.ACTORS) + ": anonymous guest RAM (" + ANON_OPS + ") and a guest_memfd in one"
          + " scenario: not modelled (one VM per scenario)");
    }
    boolean dmap = fileOps || used.stream().anyMatch(DMAP_OPS::contains);

    int guestPages = 0;
    String holder = null;
    String anonOwner = null;
    FileSpec file = null;
    long bindGfn = -1;
    String bindMadeBy = null;
    List<String> futexes = new ArrayList<>();
    boolean balloon = false;
    List<SrcBuffer> srcs = new ArrayList<>();
    for (ActorDecl d : decls) {
      for (OpCall c : d.program()) {
        OpArgs a = new OpArgs(c);
        if (PAGE_OPS.contains(c.op())) {
          guestPages = Math.max(guestPages, a.count("page", 0, 0, 1 << 16) + 1);
          if (c.op().equals("free-page") || c.op().equals("use-and-free-page")) holder = d.name();
        }
        switch (c.op()) {
          case "put-folios" -> anonOwner = anonOwner == null ? d.name() : anonOwner;
          case "create" -> {
            s.reader(d.name() + " (create: gmem0)");
            long size = a.number("size", null, true);
            List<String> flags = a.words("flags", List.of(), FileOps.FLAGS);
            boolean ok = ArgumentChecks.create(s, type, size, flags).value() == 0;
            if (ok && file != null) {
              throw a.error(null, "a second guest_memfd: not modelled (one file per scenario; the first create that succeeds is it)");
            }
            if (ok) {
              int order = s.intValue(Knobs.GMEM_FOLIO_ORDER);
              int n = (int) Math.min(Integer.MAX_VALUE, size / World.PAGE_SIZE);
              if (n % (1 << order) != 0) {
                throw a.error("size", n + " pages is not a whole number of order-" + order + " folios (gmem.folio-order)");
              }
              if (2L * n > pages) throw a.error("size", n + " pages need machine.memory of at least twice that");
              file = new FileSpec(n, order, List.copyOf(flags), c.path());
            }
          }
          case "bind" -> {
            if (file == null) throw a.error(null, "bind before any create succeeds: there is no guest_memfd to bind");
            long fileBytes = (long) file.pages() * World.PAGE_SIZE;
            KvmOps.Bind b = KvmOps.Bind.of(a, fileBytes);
            if (bindMadeBy == null && b.result(s, type, fileBytes, null).value() == 0) {
              if (b.gfn() % KvmOps.HUGE_PAGES != 0) throw a.error("gfn", "a memslot not 2M-aligned: not modelled");
              if (b.offset() != 0 || b.size() != fileBytes) {
                throw a.error("size", "a memslot over part of the file: not modelled (bind offset 0 and the whole file)");
              }
              if (!type.privateMem()) {
                throw a.error(null, "a memslot of a default VM (no private memory): not modelled (its faults go through the"
                    + " shared guest_memfd mapping); use vm.type = sw-protected or tdx");
              }
              bindGfn = b.gfn();
              bindMadeBy = c.path();
            }
          }
          case "wait", "wake" -> {
            String f = a.word("futex", null, List.of());
            if (!futexes.contains(f)) futexes.add(f);
          }
          case "balloon-release", "balloon-reclaim" -> balloon = true;
          case "populate" -> srcs.add(new SrcBuffer(c.path(), a.count("pages", 1, 1, 1 << 16),
              a.word("src", "written", ProcessMm.SRC).equals("written")));
          default -> { }
        }
      }
    }
    if (guestPages > 0 && holder == null) {
      throw new ScenarioException(s.where(Knobs.ACTORS) + ": the guest pages are never freed: give the guest's program a free-page");
    }
    if (anonRam && anonOwner == null) {
      throw new ScenarioException(s.where(Knobs.ACTORS) + ": the anonymous guest RAM's isolation references are never dropped:"
          + " give the owner's program a put-folios");
    }
    int cpuActors = 0;
    for (ActorKind k : kinds.values()) if (k.hasCpu()) cpuActors++;
    s.reader("the machine");
    int ncpu = s.intValue(Knobs.CPUS);
    if (cpuActors > ncpu) {
      throw new ScenarioException(s.where(Knobs.CPUS) + ": the actors run on " + cpuActors + " CPUs (vmm, vcpu and kernel"
          + " actors have one each), more than machine.cpus = " + ncpu);
    }
    boolean processMm = fileOps && used.stream().anyMatch(ProcessMm.OPS::contains);
    return new Plan(kinds, type, dmap, guestPages, holder, anonOwner, file, bindGfn, bindMadeBy, List.copyOf(futexes), balloon,
        handoffs, processMm, List.copyOf(srcs));
  }

  private static void layOut(Scenario s, List<Component> comps, Topology topo, int pages) {
    s.reader("the machine");
    List<ActorDecl> decls = s.programs(Knobs.ACTORS).actors();
    Plan plan = s.memo("program plan", () -> plan(s, decls, pages));
    VmType type = plan.type();
    int dmap = -1;
    if (plan.directMap()) {
      dmap = comps.size();
      comps.add(new DirectMap("dmap", MachineBuilder.BASE_PFN, pages, MachineBuilder.directMapPageSize(s)));
    }
    GuestPages guestPages = plan.guestPages() == 0 ? null : guestPages(s, plan, comps, topo);
    AnonRam anon = plan.anonOwner() == null ? null : anonRam(s, plan.anonOwner(), comps, topo);
    GmemFile file = null;
    if (plan.file() != null) {
      FileSpec f = plan.file();
      file = new GmemFile("gmem0", comps.size(), INODE_ID, f.pages(), f.order(), f.flags(), f.madeBy());
      comps.add(new GmemInode("gmem0", INODE_ID, f.pages(), flagBits(f.flags())));
    }
    ProcessMm mm = plan.processMm() ? processMm(s, plan, comps, topo) : null;
    int balloonIdx = -1;
    if (plan.balloon()) {
      balloonIdx = comps.size();
      comps.add(new VirtioBalloon("balloon0"));
    }
    int kvm = -1;
    if (plan.bindMadeBy() != null) {
      s.reader("kvm0 (the VM and its MMU)");
      kvm = comps.size();
      comps.add(new Kvm("kvm0", World.VM_ID, type, plan.bindGfn(), file.sizePages(), s.rate(Knobs.SPLIT_ALLOC_FAIL)));
    }
    Map<String, Integer> futexes = new LinkedHashMap<>();
    for (String f : plan.futexes()) {
      futexes.put(f, comps.size());
      comps.add(new Futex(f));
    }
    Map<String, Integer> handoffs = new LinkedHashMap<>();
    for (String h : plan.handoffs()) {
      handoffs.put(h, comps.size());
      // A component name is part of an actor's name in the Akka runtime: no spaces.
      comps.add(new gmemsim.model.dmap.PageHandoff("handoff-" + h.replace(" page ", "-")));
    }
    int[] cpus = new int[decls.size()];
    int[] vcpus = new int[decls.size()];
    int ncpus = 0;
    int nvcpus = 0;
    Map<String, Integer> actorIdx = new LinkedHashMap<>();
    for (ActorDecl d : decls) {
      ActorKind k = plan.kinds().get(d);
      int idx = comps.size() + actorIdx.size();
      if (k.hasCpu()) cpus[ncpus++] = idx;
      if (k.vcpu()) vcpus[nvcpus++] = idx;
      actorIdx.put(d.name(), idx);
    }
    cpus = java.util.Arrays.copyOf(cpus, ncpus);
    vcpus = java.util.Arrays.copyOf(vcpus, nvcpus);
    VmSlot vm = null;
    if (plan.bindMadeBy() != null) {
      s.reader("kvm0 (the VM and its MMU)");
      KvmBinding b = new KvmBinding(kvm, World.VM_ID, type, plan.bindGfn(), vcpus);
      ((gmemsim.model.kvm.Kvm) comps.get(kvm)).bindGmemFile(gmemsim.model.prim.Handles.of(file.inode()));
      ((gmemsim.model.gmem.GmemInode) comps.get(file.inode())).bootFileKvm(gmemsim.model.prim.Handles.of(kvm));
      // users_count before the run: the VM fd, each vCPU fd, and the guest_memfd file (kvm_get_kvm() in create).
      ((gmemsim.model.kvm.Kvm) comps.get(kvm)).bootUsers(2 + vcpus.length);
      vm = new VmSlot("kvm0", b, file.sizePages(), plan.bindMadeBy());
    }
    if (anon != null) {
      KvmBinding b = new KvmBinding(anon.binding().kvm(), World.VM_ID, VmType.SW_PROTECTED, GUEST_RAM_GFN, vcpus);
      anon = new AnonRam(anon.mm(), anon.mmHolder(), anon.pfnPool(), anon.heads(), anon.order(), b, anon.owner());
    }
    KernelEnv env = kernelEnv(s, topo, comps, dmap, cpus, vcpus, file, vm, anon, mm);
    World world = new World(s, topo, dmap, type, file, vm, futexes, handoffs, balloonIdx, cpus,
        specPool(pages, file, guestPages), guestPages, anon, mm, actorIdx, pfn -> bootGen(comps, topo, pfn), env);

    s.reader("the machine");
    int tlbEntries = s.intValue(Knobs.TLB_ENTRIES);
    for (ActorDecl d : decls) {
      ActorKind k = plan.kinds().get(d);
      ActorCtx actor = new ActorCtx(world, d, k, k.hasCpu() ? new Tlb(tlbEntries) : null, k.vcpu() ? new GuestTlb() : null);
      List<SourcePath> program = new ArrayList<>();
      for (OpCall c : d.program()) {
        s.reader(d.name() + " (" + c.op() + ")");
        program.addAll(paths(s, c, actor));
      }
      comps.add(k.component(actor, program));
    }
    s.memo(ARGS_CHECKED, java.util.concurrent.atomic.AtomicBoolean::new).set(true);
  }

  /** Where kernel source finds each primitive's owner on this machine. */
  private static KernelEnv kernelEnv(Scenario s, Topology topo, List<Component> comps, int dmap, int[] cpus, int[] vcpus,
      GmemFile file, VmSlot vm, AnonRam anon, ProcessMm mm) {
    s.reader("the kernel source (kernel/, the design knobs' variants, kernel.patch)");
    KernelEnv env = new KernelEnv(KernelPrograms.of(s), topo, comps);
    env.singleton(Memory.class, topo.memoryRange(0));
    if (dmap >= 0) env.singleton(DirectMap.class, dmap);
    env.cpus(cpus);
    if (file != null) {
      // The struct file, inode and address_space of the guest_memfd are one owner, one handle.
      int f = file.inode();
      long h = gmemsim.model.prim.Handles.of(f);
      env.field(f, "file", "f_inode", h);
      env.field(f, "file", "f_mapping", h);
      env.field(f, "inode", "i_mapping", h);
      env.field(f, "inode", "i_size", file.sizeBytes());
      env.field(f, "inode", "i_private", flagBits(file.flags()));
      env.field(f, "inode", "i_blkbits", 12);
      env.field(f, "inode", "gmem.kvm", vm == null ? 0 : gmemsim.model.prim.Handles.of(vm.binding().kvm()));
      env.field(f, "address_space", "host", h);
      env.field(f, "address_space", "id", file.inodeId());
      env.field(f, "address_space", "max_folio_order", file.order());
    }
    if (vm != null) {
      int kvm = vm.binding().kvm();
      env.vcpuCpus(kvm, vcpus);
      env.field(kvm, "kvm", "mm", mm == null ? 0 : gmemsim.model.prim.Handles.of(mm.component()));
      env.field(kvm, "kvm", "memslot", gmemsim.model.prim.Handles.of(kvm));
      env.field(kvm, "kvm", "vm_id", World.VM_ID);
      env.field(kvm, "kvm", "vm_type", vm.binding().type().abi());
      env.field(kvm, "kvm_memory_slot", "base_gfn", vm.binding().baseGfn());
      env.field(kvm, "kvm_memory_slot", "npages", vm.pages());
      env.field(kvm, "kvm_memory_slot", "userspace_addr", 0);
      env.field(kvm, "kvm_memory_slot", "gmem.pgoff", 0);
    }
    if (anon != null) {
      int kvm = anon.binding().kvm();
      env.vcpuCpus(kvm, vcpus);
      long kvmH = gmemsim.model.prim.Handles.of(kvm);
      env.field(kvm, "kvm", "mm", gmemsim.model.prim.Handles.of(anon.mm()));
      env.field(kvm, "kvm", "memslot", kvmH);
      env.field(kvm, "kvm", "vm_id", World.VM_ID);
      env.field(kvm, "kvm", "vm_type", VmType.SW_PROTECTED.abi());
      env.field(kvm, "kvm_memory_slot", "base_gfn", anon.binding().baseGfn());
      env.field(kvm, "kvm_memory_slot", "npages", anon.pfnPool().length);
      env.field(kvm, "kvm_memory_slot", "userspace_addr", 0);
      env.field(anon.mm(), "mm_struct", "mmu_notifier_kvm", kvmH);
    }
    if (mm != null) {
      env.field(mm.component(), "mm_struct", "mmu_notifier_kvm", 0);
      env.field(mm.component(), "mm_struct", "zero_pfn", mm.zeroPfn());
    }
    s.reader("the machine");
    return env;
  }

  /**
   * The VMM's mm beside a guest_memfd: the shared zero page (reserved at boot, never freed), and
   * each populate's source buffer after the others in one anonymous VMA, its pages allocated and
   * written with the TD's initial image at boot, or left untouched (no PTE).
   */
  private static ProcessMm processMm(Scenario s, Plan plan, List<Component> comps, Topology topo) {
    Memory mem = (Memory) comps.get(topo.memoryRange(0));
    String holder = "mm0";
    int zero = mem.allocator().allocPages(0, "zero page");
    if (zero < 0) throw new ScenarioException(s.where(Knobs.MEMORY) + ": no room for the zero page in the first memory range");
    mem.pages().bootReserve(zero);
    List<Integer> buffer = new ArrayList<>();
    Map<String, Integer> srcIndex = new HashMap<>();
    for (SrcBuffer b : plan.srcs()) {
      srcIndex.put(b.path(), buffer.size());
      for (int i = 0; i < b.pages(); i++) {
        if (!b.written()) {
          buffer.add(-1);
          continue;
        }
        int pfn = mem.allocator().allocPages(0, holder);
        if (pfn < 0) throw new ScenarioException(s.where(Knobs.MEMORY) + ": populate's source pages do not fit in the first memory range");
        mem.pages().bootMapNewAnon(pfn);
        buffer.add(pfn);
      }
    }
    int idx = comps.size();
    comps.add(new UserMm(holder, new int[0], buffer.stream().mapToInt(Integer::intValue).toArray()));
    return new ProcessMm(idx, zero, Map.copyOf(srcIndex));
  }

  /** Operations whose arguments decide the machine's layout. */
  private static final Set<String> LAYOUT_OPS =
      Set.of("create", "bind", "wait", "wake", "balloon-release", "balloon-reclaim");
  /** Operations that use the boot-allocated guest pages of the seed-001 hand-off. */
  private static final Set<String> PAGE_OPS = Set.of("set-direct-map", "flush-tlb-kernel-range", "publish", "use-private-page", "free-page",
      "zap-and-publish", "use-and-free-page");
  private static final Set<String> DMAP_OPS = Set.of("set-direct-map", "flush-tlb-kernel-range", "speculative-read", "clear-page",
      "zap-and-publish", "use-and-free-page");
  private static final Set<String> ANON_OPS = Set.of("split-folio", "munmap", "put-folios", "gup-fault");
  /** The anonymous guest RAM's memslot starts at guest physical 2 GiB. */
  private static final long GUEST_RAM_GFN = 0x80000;

  /** The guest pages of the hand-off: order 0, allocated at boot from the first range for the actor that frees them. */
  private static GuestPages guestPages(Scenario s, Plan plan, List<Component> comps, Topology topo) {
    Memory mem = (Memory) comps.get(topo.memoryRange(0));
    int n = plan.guestPages();
    int[] pfns = new int[n];
    for (int i = 0; i < n; i++) {
      pfns[i] = mem.allocator().allocPages(0, plan.guestPageHolder());
      if (pfns[i] < 0) throw new ScenarioException(s.where(Knobs.MEMORY) + ": " + n + " guest pages do not fit in the first memory range");
    }
    return new GuestPages(pfns);
  }

  /**
   * Seed 004's boot state: folio.count folios of folio.order allocated (the isolation reference held
   * by the actor that runs put-folios), PTE-mapped in mm0, and kvm0 with one memslot over them.
   */
  private static AnonRam anonRam(Scenario s, String owner, List<Component> comps, Topology topo) {
    int order = s.intValue(Knobs.FOLIO_ORDER);
    int folios = s.intValue(Knobs.FOLIO_COUNT);
    List<Integer> heads = new ArrayList<>();
    for (int i = 0; i < folios; i++) {
      Memory m = (Memory) comps.get(topo.memoryRange(i % topo.ranges()));
      int head = m.allocator().allocPages(order, owner);
      if (head < 0) {
        throw new ScenarioException(s.where(Knobs.FOLIO_COUNT) + ": " + folios + " folios of order " + order + " do not fit in machine.memory");
      }
      heads.add(head);
    }
    int[] pool = new int[folios << order];
    for (int i = 0; i < folios; i++) for (int k = 0; k < (1 << order); k++) pool[(i << order) + k] = heads.get(i) + k;
    String mmHolder = "mm0";
    for (int f : heads) ((Memory) comps.get(topo.memoryFor(f))).pages().bootMapAnonPtes(f, mmHolder);
    int mm = comps.size();
    comps.add(new UserMm(mmHolder, pool));
    int kvm = comps.size();
    comps.add(new Kvm("kvm0", World.VM_ID, VmType.SW_PROTECTED, GUEST_RAM_GFN, pool.length, 0, false));
    KvmBinding placeholder = new KvmBinding(kvm, World.VM_ID, VmType.SW_PROTECTED, GUEST_RAM_GFN, new int[0]);
    return new AnonRam(mm, mmHolder, pool, List.copyOf(heads), order, placeholder, owner);
  }

  /**
   * A page published to an actor is waited for by exactly one of its uses, and every use waits for
   * one publish: the hand-off is a message the guest's use consumes, so an unmatched one would be
   * a message no path expects, or a guest waiting for ever.
   */
  private static List<String> checkHandOffs(List<ActorDecl> decls) {
    Map<String, Integer> balance = new LinkedHashMap<>();
    Map<String, OpCall> first = new LinkedHashMap<>();
    Set<String> names = new HashSet<>();
    for (ActorDecl d : decls) names.add(d.name());
    for (ActorDecl d : decls) {
      for (OpCall c : d.program()) {
        OpArgs a = new OpArgs(c);
        String key;
        int delta;
        switch (c.op()) {
          case "publish", "zap-and-publish" -> {
            String to = a.word("to", null, List.copyOf(names));
            key = handoffKey(to, a.count("page", 0, 0, 1 << 16));
            delta = 1;
          }
          case "use-private-page", "use-and-free-page" -> {
            key = handoffKey(d.name(), a.count("page", 0, 0, 1 << 16));
            delta = -1;
          }
          default -> {
            continue;
          }
        }
        balance.merge(key, delta, Integer::sum);
        first.putIfAbsent(key, c);
      }
    }
    for (Map.Entry<String, Integer> e : balance.entrySet()) {
      if (e.getValue() != 0) {
        OpCall c = first.get(e.getKey());
        throw new ScenarioException(c.where(null) + ": " + e.getKey() + " is published " + (e.getValue() > 0 ? "more" : "less")
            + " often than it is used: each publish needs one use-private-page (or use-and-free-page) by the actor it goes to");
      }
    }
    return List.copyOf(balance.keySet());
  }

  /** The most calls one actor's program may make (loops unrolled, repeats counted): a run builds them all. */
  static final long MAX_CALLS = 1 << 20;

  /** A program of more calls than a run can build in reasonable time is refused where it is written. */
  private static void checkSize(ActorDecl d) {
    long calls = 0;
    for (OpCall c : d.program()) {
      calls += new OpArgs(c).count("repeat", 1, 1, 1 << 16);
      if (calls > MAX_CALLS) {
        throw new ScenarioException(c.where("repeat") + ": " + d.name() + "'s program makes more than " + String.format("%,d", MAX_CALLS)
            + " calls (loops unrolled, repeat counted): every run builds them all; make it smaller");
      }
    }
  }

  /**
   * A futex waited on must be woken somewhere (by any actor): otherwise the waiter sleeps for good,
   * and every run ends in the same deadlock, which says nothing about the kernel.
   */
  private static void checkFutexes(List<ActorDecl> decls) {
    Set<String> woken = new HashSet<>();
    for (ActorDecl d : decls) {
      for (OpCall c : d.program()) if (c.op().equals("wake")) woken.add(new OpArgs(c).word("futex", null, List.of()));
    }
    for (ActorDecl d : decls) {
      for (OpCall c : d.program()) {
        if (!c.op().equals("wait")) continue;
        String f = new OpArgs(c).word("futex", null, List.of());
        if (!woken.contains(f)) {
          throw new ScenarioException(c.where("futex") + ": " + d.name() + " waits on futex " + f + ", which no actor wakes"
              + (woken.isEmpty() ? "" : " (woken: " + new java.util.TreeSet<>(woken) + "; did you mean '" + Suggest.closest(f, woken) + "'?)"));
        }
      }
    }
  }

  /** The name of the hand-off of guest page number page to actor to (one PageHandoff component each). */
  static String handoffKey(String to, int page) {
    return to + " page " + page;
  }

  /** Where speculative loads aim: the pages guest memory gets and as many others. */
  private static int[] specPool(int pages, GmemFile file, GuestPages guest) {
    if (guest != null) {
      int[] pool = new int[Math.max(1, 2 * guest.count())];
      for (int i = 0; i < pool.length; i++) pool[i] = i < guest.count() ? guest.pfn(i) : MachineBuilder.BASE_PFN + i;
      return pool;
    }
    int[] pool = new int[Math.min(pages, file != null ? 2 * file.sizePages() : 64)];
    for (int i = 0; i < pool.length; i++) pool[i] = MachineBuilder.BASE_PFN + i;
    return pool;
  }

  private static long bootGen(List<Component> comps, Topology topo, int pfn) {
    return ((Memory) comps.get(topo.memoryFor(pfn))).pages().gen(pfn);
  }

  private static int flagBits(List<String> flags) {
    return (int) ArgumentChecks.flagBits(flags);
  }

  private static ActorKind kind(ActorDecl d) {
    ActorKind k = ActorKinds.all().get(d.kind());
    if (k == null) {
      throw new ScenarioException(d.where("kind") + ": unknown kind '" + d.kind() + "'; one of " + ActorKinds.all().keySet()
          + "; did you mean '" + Suggest.closest(d.kind(), ActorKinds.all().keySet()) + "'?");
    }
    return k;
  }

  private static void checkDomain(ActorDecl d, ActorKind k, OpCall c) {
    Op op = Ops.all().get(c.op());
    if (op == null) {
      throw new ScenarioException(c.where("op") + ": unknown operation '" + c.op() + "'; did you mean '"
          + Suggest.closest(c.op(), Ops.all().keySet()) + "'? (gmemsim list shows every operation)");
    }
    if (!k.domains().contains(op.spec().domain())) {
      throw new ScenarioException(c.where("op") + ": " + c.op() + " is a " + op.spec().domain().name().toLowerCase()
          + " operation; an actor of kind " + k.name() + " runs " + k.domains().stream().map(x -> x.name().toLowerCase()).sorted().toList()
          + " operations");
    }
  }

  /** What one written operation says besides its arguments, read once per scenario. */
  private record OpMeta(int repeat, Set<Integer> expected) {}

  /** One written operation, repeated as asked, as the paths its actor runs. */
  private static List<SourcePath> paths(Scenario s, OpCall c, ActorCtx actor) {
    Op op = Ops.all().get(c.op());
    OpSpec spec = op.spec();
    boolean first = !s.memo(ARGS_CHECKED, java.util.concurrent.atomic.AtomicBoolean::new).get();
    OpMeta meta = s.memo(new CallMemo("meta", c), () -> {
      OpArgs a = new OpArgs(c);
      return new OpMeta(a.count("repeat", 1, 1, 1 << 16), spec.results().isEmpty() ? null : expect(a, spec));
    });
    List<SourcePath> out = new ArrayList<>();
    for (int r = 0; r < meta.repeat(); r++) {
      OpArgs a = new OpArgs(c, first);
      List<SourcePath> calls = op.build(a, actor);
      if (first) {
        a.has("repeat");
        a.has("expect");
        a.checkAllRead(spec.paramNames());
      }
      if (!spec.results().isEmpty()) {
        // A system call of the program is one path, whose return the program checks.
        if (calls.size() != 1) throw new IllegalStateException(spec.name() + " made " + calls.size() + " paths, not one system call");
        calls.get(0).returnsTo(new SyscallReturn(spec.name(), spec.name() + " (" + c.at() + ")", actor.task(), meta.expected(),
            spec.name().equals("close"), spec.results().contains("SIGBUS")));
      }
      out.addAll(calls);
    }
    return out;
  }

  /** Set once a build has read every argument of every operation (the later builds skip that check). */
  private static final String ARGS_CHECKED = "program arguments checked";

  /** {@code expect}: a result or a list of them (0, EINVAL, -EINVAL, SIGBUS); none: must succeed. */
  private static Set<Integer> expect(OpArgs a, OpSpec spec) {
    if (!a.has("expect")) return null;
    List<String> names = new ArrayList<>(spec.results());
    List<String> words = a.words("expect", List.of(), withSigns(names));
    Set<Integer> out = new HashSet<>();
    for (String w : words) {
      String n = w.replaceFirst("^-", "");
      out.add(n.equals("0") ? 0 : Errno.BY_NAME.get(n));
    }
    return Set.copyOf(out);
  }

  private static List<String> withSigns(List<String> names) {
    List<String> out = new ArrayList<>(names);
    for (String n : names) if (!n.equals("0") && !n.equals("SIGBUS")) out.add("-" + n);
    return out;
  }
}
