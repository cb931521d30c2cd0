package gmemsim.model.kvm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.cpu.GuestTlb;
import gmemsim.model.gmem.GmemEnv;
import gmemsim.model.gmem.Task;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * One guest load or store to a private gfn, as the CPU running the vCPU executes it: a cached
 * guest translation is used at once; otherwise the EPT walk, and on an EPT violation the exit to
 * KVM's fault handler, after which the guest re-executes the instruction. A #VE on a PENDING
 * page of a TD (its accepted page was removed behind its back) is fatal to a Linux guest. When
 * KVM_RUN fails (-EFAULT: the file is gone) the VM stops; a memory-fault exit (the page was
 * converted under the access) leaves the access undone.
 */
public final class GuestAccessPath extends PcPath<GuestAccessPath.Pc> {
  enum Pc {
    WALK,
    FAULT,
    ACCESS,
    DONE
  }

  private final GmemEnv env;
  private final GuestTlb tlb;
  private final Task task;
  private final int index;
  private final long gfn;
  private final boolean write;
  private final int data;
  private KvmTdpPageFaultPath fault;

  /** @param data the content tag a store leaves */
  public GuestAccessPath(GmemEnv env, GuestTlb tlb, Task task, int index, boolean write, int data) {
    this.env = env;
    this.tlb = tlb;
    this.task = task;
    this.index = index;
    this.gfn = env.kvm().gfn(index);
    this.write = write;
    this.data = data;
  }

  @Override
  public String name() {
    return write ? "guest store" : "guest load";
  }

  @Override
  protected boolean begin(Ctx ctx) {
    if (task.dead()) {
      return finishAt(Pc.DONE);
    }
    return execute(ctx);
  }

  private boolean execute(Ctx ctx) {
    GuestTlb.Entry e = tlb.lookup(gfn);
    if (e != null) return access(ctx, e.pfn(), e.gen());
    return request(ctx, Pc.WALK, env.kvm().kvm(), new KvmProtocol.EptWalk(gfn, true));
  }

  private boolean access(Ctx ctx, int pfn, long gen) {
    return request(ctx, Pc.ACCESS, env.memoryFor(pfn),
        new MemoryProtocol.GuestAccess(pfn, gen, write, data, env.vm(), gfn, env.inodeId(), index));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case WALK -> {
        if (r.value() == -2) {
          if (ctx.tracing()) ctx.note("#VE on accepted memory: the guest panics");
          task.kill();
          return finishAt(Pc.DONE);
        }
        if (r.value() < 0) {
          // The same fault again for this access: the second time round it is a spin.
          if (fault == null) fault = new KvmTdpPageFaultPath(env, task, index, true, false);
          return callAt(ctx, Pc.FAULT, fault);
        }
        tlb.fill(gfn, (int) r.value(), r.ghost());
        return access(ctx, (int) r.value(), r.ghost());
      }
      case FAULT -> {
        if (fault.result < 0) {
          if (fault.vmStops()) {
            if (ctx.tracing()) ctx.note("KVM_RUN: " + Errno.name(fault.result) + ", the VM stops");
            task.kill();
          }
          return finishAt(Pc.DONE);
        }
        return execute(ctx);
      }
      case ACCESS -> {
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  @Override
  public boolean inInstruction() {
    return pc == Pc.WALK || pc == Pc.ACCESS;
  }

  @Override
  public boolean replyEndsInstruction(Ret r) {
    return pc != Pc.WALK || r.value() < 0;
  }

  @Override
  protected String here() {
    return pc + " gfn " + hex(gfn);
  }
}
