package gmemsim.model.program;

import gmemsim.model.Component;
import gmemsim.model.MachineBuilder;
import gmemsim.model.Topology;
import gmemsim.model.cpu.GuestTlb;
import gmemsim.model.cpu.Tlb;
import gmemsim.model.dmap.DirectMap;
import gmemsim.model.gmem.DirectMapRemoval;
import gmemsim.model.gmem.Futex;
import gmemsim.model.gmem.GmemInode;
import gmemsim.model.gmem.VirtioBalloon;
import gmemsim.model.kvm.Kvm;
import gmemsim.model.kvm.KvmBinding;
import gmemsim.model.kvm.KvmDesign;
import gmemsim.model.kvm.KvmMmuNotifier;
import gmemsim.model.mm.Memory;
import gmemsim.model.mm.UserMm;
import gmemsim.model.kvm.VmType;
import gmemsim.model.thread.Path;
import gmemsim.scenario.Knobs;
import gmemsim.scenario.Scenario;
import gmemsim.scenario.ScenarioException;
import gmemsim.scenario.Suggest;
import gmemsim.model.Errno;
import gmemsim.scenario.program.ActorDecl;
import gmemsim.scenario.program.OpArgs;
import gmemsim.scenario.program.OpCall;
import java.util.ArrayList;
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

  private static void layOut(Scenario s, List<Component> comps, Topology topo, int pages) {
    s.reader("the machine");
    List<ActorDecl> decls = s.programs(Knobs.ACTORS).actors();
    Map<ActorDecl, ActorKind> kinds = new LinkedHashMap<>();
    for (ActorDecl d : decls) kinds.put(d, kind(d));
    for (ActorDecl d : decls) for (OpCall c : d.program()) checkDomain(d, kinds.get(d), c);

    boolean fileOps = decls.stream().flatMap(d -> d.program().stream()).anyMatch(c -> c.op().equals("create"));
    VmType type = fileOps ? VmType.fromKnob(s.string(Knobs.VM_TYPE)) : VmType.SW_PROTECTED;

    Set<String> used = new HashSet<>();
    for (ActorDecl d : decls) for (OpCall c : d.program()) used.add(c.op());
    boolean anonRam = used.stream().anyMatch(ANON_OPS::contains);
    if (anonRam && fileOps) {
      throw new ScenarioException(s.where(Knobs.ACTORS) + ": anonymous guest RAM (" + ANON_OPS + ") and a guest_memfd in one"
          + " scenario: not modelled (one VM per scenario)");
    }
    int dmap = -1;
    if (fileOps || used.stream().anyMatch(DMAP_OPS::contains)) {
      dmap = comps.size();
      comps.add(new DirectMap("dmap", MachineBuilder.BASE_PFN, pages, MachineBuilder.directMapPageSize(s)));
    }
    checkHandOffs(decls);
    GuestPages guestPages = guestPages(s, decls, comps, topo);
    AnonRam anon = anonRam ? anonRam(s, decls, comps, topo) : null;

    GmemFile file = null;
    VmSlot vm = null;
    long bindGfn = -1;
    Map<String, Integer> futexes = new LinkedHashMap<>();
    boolean balloon = false;
    int order = -1;
    for (ActorDecl d : decls) {
      for (OpCall c : d.program()) {
        OpArgs a = new OpArgs(c);
        switch (c.op()) {
          case "create" -> {
            s.reader(d.name() + " (create: gmem0)");
            long size = a.number("size", null, true);
            List<String> flags = a.words("flags", List.of(), FileOps.FLAGS);
            if (file == null && FileOps.createResult(size, flags, type) == 0) {
              if (order < 0) order = s.intValue(Knobs.GMEM_FOLIO_ORDER);
              int n = (int) Math.min(Integer.MAX_VALUE, size / World.PAGE_SIZE);
              if (n % (1 << order) != 0) {
                throw a.error("size", n + " pages is not a whole number of order-" + order + " folios (gmem.folio-order)");
              }
              if (2L * n > pages) throw a.error("size", n + " pages need machine.memory of at least twice that");
              DirectMapRemoval design = flags.contains("no-direct-map")
                  ? DirectMapRemoval.fromKnob(s.string(Knobs.GMEM_DIRECT_MAP_REMOVAL)) : DirectMapRemoval.OFF;
              file = new GmemFile("gmem0", comps.size(), INODE_ID, n, order, List.copyOf(flags), design, c.path());
              comps.add(new GmemInode("gmem0", INODE_ID, n, flagBits(flags)));
            } else if (file != null && FileOps.createResult(size, flags, type) == 0) {
              throw a.error(null, "a second guest_memfd: not modelled (one file per scenario; the first create that succeeds is it)");
            }
          }
          case "bind" -> {
            if (file == null) throw a.error(null, "bind before any create succeeds: there is no guest_memfd to bind");
            KvmOps.Bind b = KvmOps.Bind.of(a, file.sizeBytes());
            if (vm == null && bindGfn < 0 && b.result(file.sizeBytes(), null) == 0) {
              if (b.gfn() % KvmOps.HUGE_PAGES != 0) throw a.error("gfn", "a memslot not 2M-aligned: not modelled");
              if (b.offset() != 0 || b.size() != file.sizeBytes()) {
                throw a.error("size", "a memslot over part of the file: not modelled (bind offset 0 and the whole file)");
              }
              if (!type.privateMem()) {
                throw a.error(null, "a memslot of a default VM (no private memory): not modelled (its faults go through the"
                    + " shared guest_memfd mapping); use vm.type = sw-protected or tdx");
              }
              bindGfn = b.gfn();
              vm = new VmSlot("kvm0", null, file.sizePages(), c.path());
            }
          }
          case "wait", "wake" -> futexes.putIfAbsent(a.word("futex", null, List.of()), -1);
          case "balloon-release", "balloon-reclaim" -> balloon = true;
          default -> { }
        }
      }
    }
    int balloonIdx = -1;
    if (balloon) {
      balloonIdx = comps.size();
      comps.add(new VirtioBalloon("balloon0"));
    }
    int kvm = -1;
    if (vm != null) {
      s.reader("kvm0 (the VM and its MMU)");
      kvm = comps.size();
      comps.add(new Kvm("kvm0", World.VM_ID, type, bindGfn, file.sizePages(), s.rate(Knobs.SPLIT_ALLOC_FAIL)));
    }
    for (Map.Entry<String, Integer> f : futexes.entrySet()) {
      f.setValue(comps.size());
      comps.add(new Futex(f.getKey()));
    }
    List<Integer> cpuList = new ArrayList<>();
    List<Integer> vcpuList = new ArrayList<>();
    int next = comps.size();
    for (ActorDecl d : decls) {
      ActorKind k = kinds.get(d);
      if (k.hasCpu()) cpuList.add(next);
      if (k.vcpu()) vcpuList.add(next);
      next++;
    }
    s.reader("the machine");
    int ncpu = s.intValue(Knobs.CPUS);
    if (cpuList.size() > ncpu) {
      throw new ScenarioException(s.where(Knobs.CPUS) + ": the actors run on " + cpuList.size() + " CPUs (vmm, vcpu and kernel"
          + " actors have one each), more than machine.cpus = " + ncpu);
    }
    int[] cpus = cpuList.stream().mapToInt(Integer::intValue).toArray();
    if (vm != null) {
      s.reader("kvm0 (the VM and its MMU)");
      KvmBinding b = new KvmBinding(kvm, World.VM_ID, type, bindGfn, vcpuList.stream().mapToInt(Integer::intValue).toArray(),
          MachineBuilder.kvmDesign(s));
      vm = new VmSlot(vm.name(), b, vm.pages(), vm.madeBy());
    }
    Map<String, Integer> actorIdx = new LinkedHashMap<>();
    for (int i = 0; i < decls.size(); i++) actorIdx.put(decls.get(i).name(), comps.size() + i);
    if (anon != null) {
      KvmBinding b = new KvmBinding(anon.binding().kvm(), World.VM_ID, VmType.SW_PROTECTED, GUEST_RAM_GFN,
          vcpuList.stream().mapToInt(Integer::intValue).toArray(), KvmDesign.mainline());
      anon = new AnonRam(anon.mm(), anon.mmHolder(), anon.pfnPool(), anon.heads(), anon.order(), b, new KvmMmuNotifier(b), anon.owner());
    }
    World world = new World(s, topo, dmap, type, file, vm, Map.copyOf(futexes), balloonIdx, cpus,
        specPool(pages, file, guestPages), guestPages, anon, Map.copyOf(actorIdx), pfn -> bootGen(comps, topo, pfn));

    s.reader("the machine");
    int tlbEntries = s.intValue(Knobs.TLB_ENTRIES);
    for (ActorDecl d : decls) {
      ActorKind k = kinds.get(d);
      ActorCtx actor = new ActorCtx(world, d, k, k.hasCpu() ? new Tlb(tlbEntries) : null, k.vcpu() ? new GuestTlb() : null);
      List<Path> program = new ArrayList<>();
      for (OpCall c : d.program()) {
        s.reader(d.name() + " (" + c.op() + ")");
        program.addAll(paths(c, actor));
      }
      comps.add(k.component(actor, program));
    }
  }

  /** Operations that use the boot-allocated guest pages of the seed-001 hand-off. */
  private static final Set<String> PAGE_OPS = Set.of("set-direct-map", "flush-tlb-kernel-range", "publish", "use-private-page", "free-page",
      "zap-and-publish", "use-and-free-page");
  private static final Set<String> DMAP_OPS = Set.of("set-direct-map", "flush-tlb-kernel-range", "speculative-read", "clear-page",
      "zap-and-publish", "use-and-free-page");
  private static final Set<String> ANON_OPS = Set.of("split-folio", "munmap", "put-folios", "gup-fault");
  /** The anonymous guest RAM's memslot starts at guest physical 2 GiB. */
  private static final long GUEST_RAM_GFN = 0x80000;

  /**
   * The guest pages the hand-off operations name: as many as the highest page number used, order
   * 0, allocated at boot from the first range with the reference of the actor that frees them.
   */
  private static GuestPages guestPages(Scenario s, List<ActorDecl> decls, List<Component> comps, Topology topo) {
    int n = 0;
    String holder = null;
    for (ActorDecl d : decls) {
      for (OpCall c : d.program()) {
        if (!PAGE_OPS.contains(c.op())) continue;
        OpArgs a = new OpArgs(c);
        int p = a.count("page", 0, 0, 1 << 16);
        n = Math.max(n, p + 1);
        if (c.op().equals("free-page") || c.op().equals("use-and-free-page")) holder = d.name();
      }
    }
    if (n == 0) return null;
    if (holder == null) {
      throw new ScenarioException(s.where(Knobs.ACTORS) + ": the guest pages are never freed: give the guest's program a free-page");
    }
    Memory mem = (Memory) comps.get(topo.memoryRange(0));
    int[] pfns = new int[n];
    for (int i = 0; i < n; i++) {
      pfns[i] = mem.allocator().allocPages(0, holder);
      if (pfns[i] < 0) throw new ScenarioException(s.where(Knobs.MEMORY) + ": " + n + " guest pages do not fit in the first memory range");
    }
    return new GuestPages(pfns);
  }

  /**
   * Seed 004's boot state: folio.count folios of folio.order allocated (the isolation reference held
   * by the actor that runs put-folios), PTE-mapped in mm0, and kvm0 with one memslot over them.
   */
  private static AnonRam anonRam(Scenario s, List<ActorDecl> decls, List<Component> comps, Topology topo) {
    String owner = null;
    for (ActorDecl d : decls) for (OpCall c : d.program()) if (c.op().equals("put-folios")) owner = owner == null ? d.name() : owner;
    if (owner == null) {
      throw new ScenarioException(s.where(Knobs.ACTORS) + ": the anonymous guest RAM's isolation references are never dropped:"
          + " give the owner's program a put-folios");
    }
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
    KvmBinding placeholder = new KvmBinding(kvm, World.VM_ID, VmType.SW_PROTECTED, GUEST_RAM_GFN, new int[0], KvmDesign.mainline());
    return new AnonRam(mm, mmHolder, pool, List.copyOf(heads), order, placeholder, null, owner);
  }

  /**
   * A page published to an actor is waited for by exactly one of its uses, and every use waits for
   * one publish: the hand-off is a message the guest's use consumes, so an unmatched one would be
   * a message no path expects, or a guest waiting for ever.
   */
  private static void checkHandOffs(List<ActorDecl> decls) {
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
            key = to + " page " + a.count("page", 0, 0, 1 << 16);
            delta = 1;
          }
          case "use-private-page", "use-and-free-page" -> {
            key = d.name() + " page " + a.count("page", 0, 0, 1 << 16);
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
    int bits = 0;
    if (flags.contains("mmap")) bits |= GmemInode.FLAG_MMAP;
    if (flags.contains("init-shared")) bits |= GmemInode.FLAG_INIT_SHARED;
    if (flags.contains("no-direct-map")) bits |= GmemInode.FLAG_NO_DIRECT_MAP;
    return bits;
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

  /** One written operation, repeated as asked, as the paths its actor runs. */
  private static List<Path> paths(OpCall c, ActorCtx actor) {
    Op op = Ops.all().get(c.op());
    OpSpec spec = op.spec();
    List<Path> out = new ArrayList<>();
    OpArgs first = new OpArgs(c);
    int repeat = first.count("repeat", 1, 1, 1 << 16);
    Set<Integer> expected = spec.results().isEmpty() ? null : expect(first, spec);
    for (int r = 0; r < repeat; r++) {
      OpArgs a = r == 0 ? first : new OpArgs(c);
      if (r > 0) {
        a.count("repeat", 1, 1, 1 << 16);
        if (!spec.results().isEmpty()) expect(a, spec);
      }
      List<Call> calls = op.build(a, actor);
      a.checkAllRead(spec.paramNames());
      if (spec.results().isEmpty()) {
        for (Call call : calls) out.add(call.path());
      } else {
        out.add(new SyscallPath(spec.name(), spec.name() + " (" + c.at() + ")", actor.task(), calls, expected,
            spec.name().equals("close")));
      }
    }
    return out;
  }

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
    return out;
  }

  private static List<String> withSigns(List<String> names) {
    List<String> out = new ArrayList<>(names);
    for (String n : names) if (!n.equals("0") && !n.equals("SIGBUS")) out.add("-" + n);
    return out;
  }
}
