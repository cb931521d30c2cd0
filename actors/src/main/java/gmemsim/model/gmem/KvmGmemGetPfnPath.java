package gmemsim.model.gmem;


import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.PageTag;
import gmemsim.model.mm.StructPages;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * A vCPU's fault on a private gfn backed by guest_memfd index {@code index}, through
 * kvm_gmem_get_pfn() (§5, no invalidate_lock): get the folio locked; -EHWPOISON if poisoned; if
 * not uptodate, prepare it (clear_highpage() of each page, then folio_mark_uptodate(); RFC v3
 * calls kvm_gmem_folio_configure_direct_map() in between and marks it uptodate even when that
 * fails); per-folio zaps it (idempotent) under the folio lock; unlock; on an error put the folio
 * and fail the fault. Then KVM maps the pfn and the guest writes its private data to the page.
 * KVM_RUN returns a transient error (-ENOMEM) to the VMM, which runs the vCPU again: up to
 * {@link GmemFolioPath#ATTEMPTS} faults.
 *
 * <p>Two callers: the guest_memfd direct-map workload, where the guest's access is made under the
 * reference get_pfn returned ({@link #KvmGmemGetPfnPath(GmemEnv, Task, int)}); and the KVM fault
 * path ({@link #forFault}), which gets the pfn with its reference and maps it itself.
 */
public final class KvmGmemGetPfnPath extends GmemFolioPath<KvmGmemGetPfnPath.Pc> {
  enum Pc {
    GET_FOLIO,
    TEST_HWPOISON,
    TEST_UPTODATE,
    CLEAR,
    CONFIGURE,
    MARK_UPTODATE,
    ZAP,
    UNLOCK,
    GUEST_WRITE,
    PUT,
    DONE
  }

  private KmapWritePath clear;
  private KvmGmemFolioConfigureDirectMapPath configure;
  private KvmGmemFolioZapDirectMapPath zap;

  private final boolean guestTouch;

  public KvmGmemGetPfnPath(GmemEnv env, Task task, int index) {
    this(env, task, index, true);
  }

  private KvmGmemGetPfnPath(GmemEnv env, Task task, int index, boolean guestTouch) {
    super(env, task, index, Pc.GET_FOLIO, Pc.DONE);
    this.guestTouch = guestTouch;
  }

  /** kvm_gmem_get_pfn() for kvm_mmu_faultin_pfn(): returns with the folio's reference held. */
  public static KvmGmemGetPfnPath forFault(GmemEnv env, Task task, int index) {
    return new KvmGmemGetPfnPath(env, task, index, false);
  }

  /** 0 with a reference on {@link #heldFolio()}, or the error the fault sees. */
  public int result() {
    return err;
  }

  public int heldFolio() {
    return folio();
  }

  public int heldPfn() {
    return pfn();
  }

  /** The allocation generation of the folio (ghost). */
  public long heldGen() {
    return get.gen();
  }

  /** max_order: the order of the folio. */
  public int maxOrder() {
    return get.order;
  }

  @Override
  protected String operation() {
    return "KVM_RUN (fault on index " + index + ")";
  }

  @Override
  public String name() {
    return "kvm_gmem_get_pfn";
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case GET_FOLIO -> {
        if (get.err != 0) return failed(get.err, ctx);
        return mem(ctx, Pc.TEST_HWPOISON, new MemoryProtocol.FolioFlag(folio(), StructPages.PG_HWPOISON, null));
      }
      case TEST_HWPOISON -> {
        if (r.value() != 0) {
          err = Errno.EHWPOISON;
          return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(folio()));
        }
        return mem(ctx, Pc.TEST_UPTODATE, new MemoryProtocol.FolioFlag(folio(), StructPages.PG_UPTODATE, null));
      }
      case TEST_UPTODATE -> {
        if (r.value() != 0) return afterPrepare(ctx);
        pc = Pc.CLEAR;
        clear = new KmapWritePath("clear_highpage", env, folio(), 1 << get.order, PageTag.NONE);
        return call(clear, ctx);
      }
      case CLEAR -> {
        if (clear.oops) {
          task.kill();
          return done();
        }
        configure = env.design().hooks().afterClear(env, folio(), index & ~((1 << get.order) - 1));
        if (configure != null) {
          pc = Pc.CONFIGURE;
          return call(configure, ctx);
        }
        return mem(ctx, Pc.MARK_UPTODATE, new MemoryProtocol.FolioFlag(folio(), StructPages.PG_UPTODATE, true));
      }
      case CONFIGURE -> {
        // kvm_gmem_finalize_folio(): uptodate even on error, "to avoid touching parts without
        // direct map entries in a potential re-preparation".
        err = configure.err;
        return mem(ctx, Pc.MARK_UPTODATE, new MemoryProtocol.FolioFlag(folio(), StructPages.PG_UPTODATE, true));
      }
      case MARK_UPTODATE -> {
        return afterPrepare(ctx);
      }
      case ZAP -> {
        err = zap.err;
        return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(folio()));
      }
      case UNLOCK -> {
        if (err != 0) {
          pc = Pc.PUT;
          ctx.send(env.memoryFor(folio()), new MemoryProtocol.FolioPut(folio(), 1));
          return false;
        }
        if (!guestTouch) return done();
        // KVM maps the pfn; the guest writes its private data through the EPT.
        task.map(index, new Task.Mapped(pfn(), folio(), get.gen()));
        return mem(ctx, Pc.GUEST_WRITE,
            new MemoryProtocol.PageWrite(pfn(), folio(), get.gen(), env.guestData(), "guest"));
      }
      case GUEST_WRITE -> {
        return mem(ctx, Pc.PUT, new MemoryProtocol.FolioPut(folio(), 1));
      }
      case PUT -> {
        if (err != 0) return failed(err, ctx);
        return done();
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean afterPrepare(Ctx ctx) {
    zap = err == 0 ? env.design().hooks().zapPrepared(env, folio()) : null;
    if (zap != null) {
      pc = Pc.ZAP;
      return call(zap, ctx);
    }
    return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(folio()));
  }

}
