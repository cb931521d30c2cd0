package gmemsim.model.kvm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.KernelEvents;
import gmemsim.model.gmem.GmemEnv;
import gmemsim.model.gmem.KvmGmemInvalidateBeginPath;
import gmemsim.model.gmem.KvmGmemInvalidateEndPath;
import gmemsim.model.gmem.Task;
import gmemsim.model.thread.PcPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * KVM_SET_MEMORY_ATTRIBUTES on file indexes [start, end) (kvm_vm_set_mem_attributes(), §6):
 * under slots_lock, the pre-set pass (begin, range_add, for a TD going private-to-shared the
 * boundary split when {@code tdx.split-before-zap} is on, then the zap of what changes kind, and
 * the flush), the attribute store, the post-set pass (kvm_mmu_invalidate_end under mmu_lock). A
 * failed split fails the ioctl with no attribute changed (the huge-page series makes the handlers
 * return int); as posted it also skips the post-set pass, so the invalidation is never ended
 * ({@code tdx.attr-split-error}); userspace retries -ENOMEM up to three times.
 */
public final class KvmSetMemoryAttributesPath extends PcPath<KvmSetMemoryAttributesPath.Pc> {
  private static final int ATTEMPTS = 3;

  enum Pc {
    SLOTS_LOCK,
    PRE_SET,
    STORE,
    POST_SET,
    SLOTS_UNLOCK,
    DONE
  }

  private final GmemEnv env;
  private final KvmBinding b;
  private final Task task;
  private final int start;
  private final int end;
  private final boolean toPrivate;
  private int attempt;
  private int err;
  private KvmGmemInvalidateBeginPath pre;

  public KvmSetMemoryAttributesPath(GmemEnv env, Task task, int start, int nr, boolean toPrivate) {
    this.env = env;
    this.b = env.kvm();
    this.task = task;
    this.start = start;
    this.end = Math.min(env.sizePages(), start + nr);
    this.toPrivate = toPrivate;
  }

  @Override
  public String name() {
    return "kvm_vm_set_mem_attributes";
  }

  /** 0, or the error the ioctl finally returned. */
  public int result() {
    return err;
  }

  private boolean kvm(Ctx ctx, Pc next, KvmProtocol.Request r) {
    return request(ctx, next, b.kvm(), r);
  }

  @Override
  protected boolean begin(Ctx ctx) {
    attempt = 0;
    return attempt(ctx);
  }

  private boolean attempt(Ctx ctx) {
    if (task.dead()) {
      return finishAt(Pc.DONE);
    }
    attempt++;
    err = 0;
    return kvm(ctx, Pc.SLOTS_LOCK, new KvmProtocol.SlotsLock(true));
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case SLOTS_LOCK -> {
        boolean split = b.tdx() && !toPrivate && b.design().splitBeforeZap();
        pre = KvmGmemInvalidateBeginPath.preSetMemoryAttributes(b, start, end, toPrivate, split);
        return callAt(ctx, Pc.PRE_SET, pre);
      }
      case PRE_SET -> {
        err = pre.result();
        if (err != 0) {
          if (b.design().attrSplitErrorEndsInvalidation()) return postSet(ctx);
          // As posted: "goto out_unlock" skips the stores and the post-set pass, and with it
          // kvm_mmu_invalidate_end(); the invalidation this attempt began is never ended.
          if (ctx.tracing()) ctx.note("pre-set pass failed: out_unlock, no post-set pass, the invalidation stays in progress");
          return kvm(ctx, Pc.SLOTS_UNLOCK, new KvmProtocol.SlotsLock(false));
        }
        return kvm(ctx, Pc.STORE, new KvmProtocol.SetMemAttributes(b.gfn(start), b.gfn(end), toPrivate));
      }
      case STORE -> {
        return callAt(ctx, Pc.POST_SET, KvmGmemInvalidateEndPath.postSetMemoryAttributes(b, start, end));
      }
      case POST_SET -> {
        return kvm(ctx, Pc.SLOTS_UNLOCK, new KvmProtocol.SlotsLock(false));
      }
      case SLOTS_UNLOCK -> {
        if (err == Errno.ENOMEM && attempt < ATTEMPTS) {
          if (ctx.tracing()) ctx.note("KVM_SET_MEMORY_ATTRIBUTES: -ENOMEM, userspace calls again");
          return attempt(ctx);
        }
        if (err != 0 && err != Errno.ENOMEM && !task.checked()) {
          ctx.emit(new KernelEvents.AbiFailure(task.name(), "KVM_SET_MEMORY_ATTRIBUTES", err));
        }
        return finishAt(Pc.DONE);
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean postSet(Ctx ctx) {
    return callAt(ctx, Pc.POST_SET, KvmGmemInvalidateEndPath.of(b));
  }

  @Override
  protected String here() {
    return pc + " gfns [" + hex(b.gfn(start)) + ", " + hex(b.gfn(end)) + ")";
  }
}
