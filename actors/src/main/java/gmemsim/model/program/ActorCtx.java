package gmemsim.model.program;

import gmemsim.model.cpu.GuestTlb;
import gmemsim.model.cpu.Tlb;
import gmemsim.model.gmem.GmemEnv;
import gmemsim.model.thread.Task;
import gmemsim.scenario.program.ActorDecl;
import gmemsim.scenario.program.OpArgs;

/**
 * One actor while its program is built: the world, its task (shared by all its calls, as one
 * process's or thread's state), its CPU's TLBs (null for a kernel thread without a CPU model),
 * and whether it has closed its guest_memfd.
 */
public final class ActorCtx {
  private final World world;
  private final ActorDecl decl;
  private final ActorKind kind;
  private final Task task;
  private final Tlb tlb;
  private final GuestTlb guestTlb;
  private GmemEnv env;
  private boolean closed;
  /** The references this actor's kernel source believes it holds (ghost), across its calls. */
  private final gmemsim.model.exec.RefBeliefs beliefs = new gmemsim.model.exec.RefBeliefs();
  /** The actor runs one kernel path at a time: one stack serves them all. */
  private final gmemsim.model.exec.Frames frames = new gmemsim.model.exec.Frames();
  /** The last set_direct_map_invalid_noflush() of each guest page this actor made (its result is the task's). */
  private final java.util.Map<Integer, gmemsim.model.exec.SourcePath> zaps = new java.util.HashMap<>();

  ActorCtx(World world, ActorDecl decl, ActorKind kind, Tlb tlb, GuestTlb guestTlb) {
    this.world = world;
    this.decl = decl;
    this.kind = kind;
    this.task = new Task(decl.name());
    this.tlb = tlb;
    this.guestTlb = guestTlb;
  }

  public World world() {
    return world;
  }

  public String name() {
    return decl.name();
  }

  public ActorKind kind() {
    return kind;
  }

  public Task task() {
    return task;
  }

  /** A call of kernel function fn(args) on this actor: a path of its program, skipped once the task is dead. */
  public gmemsim.model.exec.SourcePath kernel(String fn, long... args) {
    return kernelAtExit(fn, args).inTask(task);
  }

  /** A call that runs even once an oops killed the task: what its exit does (close its files). */
  public gmemsim.model.exec.SourcePath kernelAtExit(String fn, long... args) {
    gmemsim.model.exec.KernelPrograms.noteEntry(world.scenario(), world.env().program(), fn);
    return new gmemsim.model.exec.SourcePath(world.env(), beliefs, frames, fn, args);
  }

  public GuestTlb guestTlb() {
    return guestTlb;
  }

  /** The CPU's TLB (null for a kernel thread). */
  public Tlb cpuTlb() {
    return tlb;
  }

  /** The CPU's TLB; an operation that needs one on a kernel thread is a scenario error. */
  public Tlb tlb(OpArgs a) {
    if (tlb == null) {
      throw a.error(null, a.call().op() + " runs on a CPU of its own (its TLB): give it to an actor of kind "
          + "vmm, vcpu or kernel, not " + kind.name());
    }
    return tlb;
  }

  /** The guest_memfd, or a scenario error naming the call when no program created one. */
  public GmemFile file(OpArgs a) {
    if (world.file() == null) {
      throw a.error(null, a.call().op() + " needs a guest_memfd, and no program creates one"
          + " ({ op = create, size = ..., expect = 0 } in the vmm's program)");
    }
    return world.file();
  }

  public VmSlot vm(OpArgs a) {
    if (world.vm() == null) {
      throw a.error(null, a.call().op() + " needs the guest_memfd bound to the VM, and no program binds it"
          + " ({ op = bind, gfn = 0x80000 } after the create)");
    }
    return world.vm();
  }

  /** The VMM's mm (mm0) as a handle for kernel source: built beside a guest_memfd when a program maps or populates. */
  public long mm(OpArgs a) {
    if (world.mm() == null) {
      throw a.error(null, a.call().op() + " runs in the VMM's mm, which the model builds beside a guest_memfd: give a"
          + " program a create");
    }
    return gmemsim.model.prim.Handles.of(world.mm().component());
  }

  /** The environment guest_memfd operations of this actor run in. */
  public GmemEnv env(OpArgs a) {
    GmemFile f = file(a);
    if (env == null) env = new GmemEnv(world.topo(), f.inode(), f.sizePages(), World.VM_ID, f.has("no-direct-map"));
    return env;
  }

  /** Records this actor's zap of page pfn: a later publish of the page reports its result. */
  void zapped(int pfn, gmemsim.model.exec.SourcePath zap) {
    zaps.put(pfn, zap);
  }

  /** This actor's zap of page pfn, or null. */
  gmemsim.model.exec.SourcePath zap(int pfn) {
    return zaps.get(pfn);
  }

  /** Ghost: this actor's kernel source believes it holds a reference on folio h (order o, generation gen) from the start. */
  void believe(long h, int o, long gen) {
    beliefs.add(h, o, gen);
  }

  public boolean closed() {
    return closed;
  }

  void close() {
    closed = true;
  }

  private boolean vmClosed;

  /** Whether this actor has closed its VM fd (close-vm). */
  public boolean vmClosed() {
    return vmClosed;
  }

  void closeVm() {
    vmClosed = true;
  }
}
