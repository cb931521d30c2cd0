package gmemsim.model.gmem;


import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.PageTag;
import gmemsim.model.mm.StructPages;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * The VMM populating guest memory with memcpy() through its mmap() of the guest_memfd: the first
 * touch faults into kvm_gmem_fault_user_mapping() (§5): get the folio locked; a large folio is
 * SIGBUS; zero it if not uptodate (clear_highpage(), or the temporary mapping in the filemap
 * design) and mark it uptodate; per-folio zaps it after that, under the folio lock (an error is
 * VM_FAULT_OOM and the access faults again); return VM_FAULT_LOCKED, the PTE is installed and the
 * folio unlocked. The copy then goes through the user mapping, never through the direct map.
 * Afterwards the VMM unmaps the range, which drops the PTE's reference.
 */
public final class KvmGmemFaultUserMappingPath extends GmemFolioPath<KvmGmemFaultUserMappingPath.Pc> {
  enum Pc {
    GET_FOLIO,
    TEST_UPTODATE,
    CLEAR,
    MARK_UPTODATE,
    ZAP,
    UNLOCK,
    MEMCPY,
    MUNMAP,
    DONE
  }

  private KmapWritePath clear;
  private KvmGmemFolioZapDirectMapPath zap;

  public KvmGmemFaultUserMappingPath(GmemEnv env, Task task, int index) {
    super(env, task, index, Pc.GET_FOLIO, Pc.DONE);
  }

  @Override
  protected String operation() {
    return "memcpy to the mmap of index " + index + " (SIGBUS)";
  }

  @Override
  public String name() {
    return "kvm_gmem_fault_user_mapping + memcpy";
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case GET_FOLIO -> {
        if (get.err != 0) return failed(get.err, ctx);
        if (env.folioOrder() > 0) {
          err = Errno.SIGBUS; // VM_FAULT_SIGBUS
          return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(folio()));
        }
        return mem(ctx, Pc.TEST_UPTODATE, new MemoryProtocol.FolioFlag(folio(), StructPages.PG_UPTODATE, null));
      }
      case TEST_UPTODATE -> {
        if (r.value() != 0) return afterPrepare(ctx);
        pc = Pc.CLEAR;
        clear = new KmapWritePath("clear_highpage", env, folio(), env.nrPages(), PageTag.NONE);
        return call(clear, ctx);
      }
      case CLEAR -> {
        if (clear.oops) {
          task.kill();
          return done();
        }
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
          pc = Pc.MUNMAP;
          ctx.send(env.memoryFor(folio()), new MemoryProtocol.FolioPut(folio(), 1));
          return false;
        }
        return mem(ctx, Pc.MEMCPY,
            new MemoryProtocol.PageWrite(folio(), folio(), get.gen(), env.guestData(), "vmm"));
      }
      case MEMCPY -> {
        return mem(ctx, Pc.MUNMAP, new MemoryProtocol.FolioPut(folio(), 1));
      }
      case MUNMAP -> {
        if (err != 0) return failed(err, ctx);
        return done();
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean afterPrepare(Ctx ctx) {
    zap = env.design().hooks().zapPrepared(env, folio());
    if (zap != null) {
      pc = Pc.ZAP;
      return call(zap, ctx);
    }
    return mem(ctx, Pc.UNLOCK, new MemoryProtocol.FolioUnlock(folio()));
  }

}
