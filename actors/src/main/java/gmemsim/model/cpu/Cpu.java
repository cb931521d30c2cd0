package gmemsim.model.cpu;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Msg;
import gmemsim.model.prim.Call;
import gmemsim.model.prim.Primitive;
import gmemsim.model.prim.Primitives;
import gmemsim.model.prim.Route;
import gmemsim.model.prim.Step;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.thread.PathRunner;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One CPU: the owner of its TLB, and the executor of the kernel activity that runs on it (a
 * speculative reader, a vCPU's fault, a VMM's system calls). An IPI is taken only between two instructions: while one of its loads
 * is in flight (the walk or the data access has not returned), the IPI waits, exactly as an
 * interrupt waits for the current instruction to retire. So a load that had its translation
 * before the flush also finishes before the flush's ack.
 */
public final class Cpu implements Component, gmemsim.model.exec.InstructionBoundary {
  private record Pending(int from, Step ipi) {}

  private final String name;
  private final Tlb tlb;
  private final GuestTlb guestTlb;
  private final PathRunner runner;
  private final ArrayDeque<Pending> deferred = new ArrayDeque<>();
  /** The running path was mid-instruction when it last stopped (an IPI waits; no preemption). */
  private boolean inInstruction;
  /** This CPU runs a vCPU thread (see {@link #preemptibleSend}). */
  private final boolean vcpu;
  /** True while the running path is sending its next step (not while acking an IPI). */
  private boolean pathSending;
  /** KVM_EXIT_MEMORY_FAULT in the kvm_run of the vCPU this CPU runs, until the VMM reads it. */
  private boolean memoryFaultExit;
  /** The files whose last fput() this CPU's task made: their __fput() runs on its way back to user mode. */
  private final ArrayDeque<Long> taskWork = new ArrayDeque<>();

  public Cpu(String name, Tlb tlb, List<SourcePath> activity) {
    this(name, tlb, new GuestTlb(), activity, false);
  }

  /** A CPU that runs a vCPU: its paths use guestTlb for the guest's translations. */
  public Cpu(String name, Tlb tlb, GuestTlb guestTlb, List<SourcePath> activity) {
    this(name, tlb, guestTlb, activity, true);
  }

  private Cpu(String name, Tlb tlb, GuestTlb guestTlb, List<SourcePath> activity, boolean vcpu) {
    this.vcpu = vcpu;
    this.name = name;
    this.tlb = tlb;
    this.guestTlb = guestTlb;
    this.runner = new PathRunner(activity);
  }

  @Override
  public String name() {
    return name;
  }

  public Tlb tlb() {
    return tlb;
  }

  /** The guest translations of the vCPU this CPU runs (empty if it runs none). */
  public GuestTlb guestTlb() {
    return guestTlb;
  }

  @Override
  public boolean isExecutor() {
    return true;
  }

  @Override
  public String activity() {
    return runner.activity();
  }

  @Override
  public String[][] sourceFrames() {
    return runner.sourceFrames();
  }

  @Override
  public String[] sourceSite() {
    return runner.sourceSite();
  }

  @Override
  public boolean finished() {
    return runner.finished();
  }

  @Override
  public java.util.List<gmemsim.model.exec.SourcePath> program() {
    return runner.paths();
  }

  @Override
  public void boot(Ctx ctx) {
    pathSending = true;
    runner.start(ctx);
    pathSending = false;
    inInstruction = !runner.finished() && runner.current().inInstruction();
  }

  @Override
  public List<String> ghost(java.util.Set<Integer> pfns, java.util.function.IntFunction<String> names) {
    List<String> out = new java.util.ArrayList<>();
    for (int pfn : new java.util.TreeSet<>(pfns)) {
      long va = gmemsim.model.dmap.Addr.pageAddress(pfn);
      if (tlb.lookup(va) == pfn) {
        out.add("TLB caches direct-map " + gmemsim.model.dmap.Addr.hexVa(va) + " -> " + hex(pfn));
      }
      if (guestTlb != null) {
        for (long gfn : guestTlb.gfnsOf(pfn)) out.add("guest TLB caches gfn " + hex(gfn) + " -> " + hex(pfn));
      }
    }
    return out;
  }

  @Override
  public void onMessage(Msg m, Ctx ctx) {
    if (m instanceof Step s) {
      Primitives.handle(this, s, ctx);
      return;
    }
    if (m instanceof Ret r) {
      if (runner.current().replyEndsInstruction(r)) {
        // The instruction retires: pending interrupts run before the next one starts.
        inInstruction = false;
        Pending p;
        while ((p = deferred.poll()) != null) flush(p.ipi(), p.from(), ctx);
      }
      pathSending = true;
      runner.onReply(r, ctx);
      pathSending = false;
      inInstruction = !runner.finished() && runner.current().inInstruction();
    } else {
      throw new IllegalArgumentException(name + " cannot handle " + m.step());
    }
  }

  /** Kernel source retired an instruction: the interrupts that waited for it are taken now. */
  @Override
  public void retired(Ctx ctx) {
    inInstruction = false;
    // The acks are the interrupt's, not the path's (as when a reply retires the instruction).
    boolean sending = pathSending;
    pathSending = false;
    Pending p;
    while ((p = deferred.poll()) != null) flush(p.ipi(), p.from(), ctx);
    pathSending = sending;
  }

  /**
   * A CPU may be held up between two instructions of its path, never inside one; with IRQs off
   * only if it runs a vCPU thread: the timing faults stand there for the vCPU descheduled by the
   * hypervisor below this kernel (a PV TLB flush then skips it, as broadcast invalidation does on
   * arm64 and with INVLPGB), which IRQs masked in this kernel do not prevent. GUP-fast runs with
   * IRQs off, and split-vs-tryget's window is exactly there.
   *
   * <p>An instruction's first step (its page walk, or its access on a TLB hit: the lookup is the
   * CPU's own) stands for the instruction's start, so {@link #inInstruction} is what the path was
   * in after its previous step: a thread that released a lock and next stores through the direct
   * map may be held up between the two, as when kernel source sent nothing between them.
   */
  @Override
  public boolean preemptibleSend() {
    return pathSending && !runner.finished() && (vcpu || runner.current().interruptible()) && !inInstruction;
  }

  private void flush(Step s, int from, Ctx ctx) {
    int gone;
    String which;
    String n = s.step();
    if (n.equals("kvm_vcpu_flush_tlb_request")) {
      gone = guestTlb.flush();
      which = " guest TLB: ";
    } else {
      boolean full = n.equals("do_flush_tlb_all");
      gone = tlb.flush(full ? 0 : s.args()[0], full ? 0 : s.args()[1], full);
      which = " TLB: ";
    }
    if (ctx.tracing()) ctx.note(name + which + gone + " entr" + (gone == 1 ? "y" : "ies") + " flushed, ack");
    ctx.send(from, Ret.of(0));
  }

  /** An IPI or a KVM request: taken now, or, mid-instruction, once the instruction retires. */
  private long interrupt(Call c) {
    Step m = new Step(Primitives.byName(c.kernelName()).id(), c.argsCopy(), null, -1, false, -1);
    if (inInstruction) {
      deferred.add(new Pending(c.caller(), m));
      if (c.ctx().tracing()) c.ctx().note("IPI pending until the current load retires");
    } else {
      flush(m, c.caller(), c.ctx());
    }
    return Call.LATER;
  }

  @Primitive(value = "do_kernel_range_flush", args = {"start", "end"}, ret = "void", route = Route.EACH_CPU,
      doc = "on_each_cpu(do_kernel_range_flush): the flush IPI of flush_tlb_kernel_range() on every CPU, each acked,"
          + " taken between two instructions (arch/x86/mm/tlb.c)")
  long doKernelRangeFlushStep(Call c) {
    return interrupt(c);
  }

  @Primitive(value = "do_flush_tlb_all", args = {"start", "end"}, ret = "void", route = Route.EACH_CPU,
      doc = "on_each_cpu(do_flush_tlb_all): a full flush of every CPU's TLB, global entries too (arch/x86/mm/tlb.c)")
  long doFlushTlbAllStep(Call c) {
    return interrupt(c);
  }

  @Primitive(value = "kvm_vcpu_flush_tlb_request", args = "kvm", ret = "void", route = Route.EACH_VCPU,
      doc = "kvm_make_all_cpus_request(KVM_REQ_TLB_FLUSH): each vCPU of the VM kicked out of guest mode flushes its guest"
          + " translations and acks (virt/kvm/kvm_main.c)")
  long kvmVcpuFlushTlbRequestStep(Call c) {
    return interrupt(c);
  }

  @Primitive(value = "__guest_tlb_lookup", args = "gfn", ret = "long", route = Route.SELF,
      doc = "hardware: the translation of gfn this CPU caches for the guest it runs: the pfn (its ghost the allocation the"
          + " EPT recorded), or -1 (no step: the CPU's own state)")
  long guestTlbLookupStep(Call c) {
    GuestTlb.Entry e = guestTlb.lookup(c.arg(0));
    if (e == null) return -1;
    c.ghost(e.gen());
    return e.pfn();
  }

  @Primitive(value = "__guest_tlb_fill", args = {"gfn", "pfn"}, ret = "void", route = Route.SELF, readsGhost = true,
      doc = "hardware: this CPU caches the guest translation an EPT walk found, with the walk's ghost allocation")
  long guestTlbFillStep(Call c) {
    guestTlb.fill(c.arg(0), (int) c.arg(1), c.ghost(1));
    return 0;
  }

  @Primitive(value = "kvm_prepare_memory_fault_exit", args = {"gfn", "is_private"}, ret = "void", route = Route.SELF,
      doc = "kvm_prepare_memory_fault_exit(): vcpu->run->exit_reason = KVM_EXIT_MEMORY_FAULT for gfn (include/linux/"
          + "kvm_host.h); the vCPU thread's kvm_run lives with its CPU")
  long prepareMemoryFaultExitStep(Call c) {
    memoryFaultExit = true;
    return 0;
  }

  @Primitive(value = "__kvm_run_memory_fault", ret = "bool", route = Route.SELF,
      doc = "model: the VMM reads kvm_run after KVM_RUN failed: whether KVM asked for a memory-fault exit (read once)")
  long kvmRunMemoryFaultStep(Call c) {
    boolean m = memoryFaultExit;
    memoryFaultExit = false;
    return m ? 1 : 0;
  }

  @Primitive(value = "task_work_add", args = "file", ret = "void", route = Route.SELF,
      doc = "fput()'s last reference of a user task: the file's __fput() is queued as task_work (kernel/task_work.c)")
  long taskWorkAddStep(Call c) {
    taskWork.add(c.arg(0));
    return 0;
  }

  @Primitive(value = "task_work_pop", ret = "struct file *", route = Route.SELF,
      doc = "task_work_run(): the file of the next queued __fput(), or NULL (kernel/task_work.c)")
  long taskWorkPopStep(Call c) {
    Long f = taskWork.poll();
    return f == null ? 0 : f;
  }

  @Primitive(value = "__tlb_lookup", args = "addr", ret = "long", route = Route.SELF,
      doc = "hardware: this CPU's TLB looked up for a page-aligned direct-map address: the frame an entry of any size"
          + " translates it to, or -1 on a miss (no step: the CPU's own state)")
  long tlbLookupStep(Call c) {
    long va = c.arg(0);
    int pfn = tlb.lookup(va);
    if (pfn >= 0 && c.ctx().tracing()) c.ctx().note("TLB hit, " + levelName(tlb.levelOf(va)) + " entry");
    return pfn;
  }

  @Primitive(value = "__tlb_fill", args = {"addr", "pfn", "level"}, ret = "void", route = Route.SELF,
      doc = "hardware: this CPU caches the translation a successful walk found, one entry the size of the leaf it went"
          + " through (level 1: 4K, 2: 2M, 3: 1G; a global direct-map entry; LRU capacity)")
  long tlbFillStep(Call c) {
    int level = (int) c.arg(2);
    tlb.fill(c.arg(0), (int) c.arg(1), level);
    if (level > 1 && c.ctx().tracing()) c.ctx().note(levelName(level) + " entry cached: every page of the leaf now hits");
    return 0;
  }

  private static String levelName(int level) {
    return level == 3 ? "1G" : level == 2 ? "2M" : "4K";
  }

  /** The end of a run: what is still cached goes to the check that no flush is owed. */
  @Override
  public void onQuiescence(Ctx ctx) {
    runner.reportIfStuck(name, ctx);
    boolean direct = tlb != null && tlb.size() > 0;
    boolean guest = guestTlb != null && !guestTlb.isEmpty();
    if (!direct && !guest) return;
    long[] gfns = guest ? guestTlb.gfns() : new long[0];
    Tlb.Entry[] cached = direct ? tlb.entries() : new Tlb.Entry[0];
    int[] first = new int[cached.length];
    int[] pages = new int[cached.length];
    for (int i = 0; i < cached.length; i++) {
      first[i] = cached[i].pfn();
      pages[i] = cached[i].pages();
    }
    ctx.emit(new gmemsim.model.BalanceEvents.CachedAtEnd(name, first, pages, gfns,
        guest ? guestTlb.pfnsOf(gfns) : new int[0]));
  }
}
