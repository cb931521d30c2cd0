package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.KernelEvents;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.StructPages;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * kvm_gmem_free_folio(), the -&gt;free_folio callback filemap_free_folio() runs once the folio left
 * the page cache (other holders may still have references):
 *
 * <ul>
 *   <li>per-folio (v10-v12): if folio->private says "zapped", WARN_ON_ONCE(folio_restore_direct_map())
 *       and clear the bit;
 *   <li>RFC v3: if PG_private, set_direct_map_valid_noflush(true) over the folio; on an error
 *       folio_set_hwpoison() ("better make sure nothing tries to touch it again"); then
 *       flush_tlb_kernel_range(folio_address, + folio_size).
 * </ul>
 *
 * The other designs have no such callback on x86 without an arch invalidate hook.
 */
public final class KvmGmemFreeFolioPath extends CallingPath {
  private enum Pc {
    TEST,
    RESTORE,
    CLEAR_BIT,
    SET_HWPOISON,
    FLUSH,
    DONE
  }

  private final GmemEnv env;
  private final int folio;
  private final int nr;
  private Pc pc;
  private gmemsim.model.exec.SourcePath restore;

  /** @param nr folio_nr_pages() now (a split may have made the folio smaller than it was zapped) */
  private final boolean rfcV3;

  /** @param rfcV3 RFC v3's free_folio (PG_private, HWPoison on a failed restore), else v10-v12's */
  KvmGmemFreeFolioPath(GmemEnv env, int folio, int nr, boolean rfcV3) {
    this.rfcV3 = rfcV3;
    this.env = env;
    this.folio = folio;
    this.nr = nr;
  }

  @Override
  public String name() {
    return "kvm_gmem_free_folio";
  }

  private int testFlag() {
    return rfcV3 ? StructPages.PG_PRIVATE : StructPages.FOLIO_PRIVATE_NO_DIRECT_MAP;
  }

  @Override
  protected boolean begin(Ctx ctx) {
    pc = Pc.TEST;
    ctx.send(env.memoryFor(folio), new MemoryProtocol.FolioFlag(folio, testFlag(), null));
    return false;
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    switch (pc) {
      case TEST -> {
        if (r.value() == 0) return done();
        pc = Pc.RESTORE;
        restore = SetDirectMapCall.validNoflush(env, folio, nr, true);
        return call(restore, ctx);
      }
      case RESTORE -> {
        boolean failed = restore.intResult() != 0;
        if (rfcV3) {
          if (failed) {
            pc = Pc.SET_HWPOISON;
            ctx.send(env.memoryFor(folio), new MemoryProtocol.FolioFlag(folio, StructPages.PG_HWPOISON, true));
            return false;
          }
          return flush(ctx);
        }
        if (failed) {
          ctx.emit(new KernelEvents.Warn(ctx.name(ctx.self()), "kvm_gmem_free_folio",
              "WARN_ON_ONCE(folio_restore_direct_map(" + hex(folio) + ")) = " + restore.intResult()));
          if (ctx.tracing()) ctx.note("WARN_ON_ONCE: the restore failed, the folio is freed anyway");
        }
        pc = Pc.CLEAR_BIT;
        ctx.send(env.memoryFor(folio),
            new MemoryProtocol.FolioFlag(folio, StructPages.FOLIO_PRIVATE_NO_DIRECT_MAP, false));
        return false;
      }
      case SET_HWPOISON -> {
        return flush(ctx);
      }
      case CLEAR_BIT, FLUSH -> {
        return done();
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean flush(Ctx ctx) {
    pc = Pc.FLUSH;
    long va = GmemEnv.folioAddress(folio);
    return call(SetDirectMapCall.flush(env, va, va + ((long) nr << 12)), ctx);
  }

  private boolean done() {
    pc = Pc.DONE;
    return true;
  }

  @Override
  protected String here() {
    return pc + " folio " + hex(folio);
  }
}
