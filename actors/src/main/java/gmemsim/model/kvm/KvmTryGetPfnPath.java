package gmemsim.model.kvm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.Topology;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.PageTag;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * One EPT fault on a VM_PFNMAP gfn, as hva_to_pfn_remapped() handled it: pin the page behind the
 * pfn with kvm_try_get_pfn() (in the variant under test), let the guest write to it through the
 * new mapping, then drop the pin with kvm_release_pfn_clean(), i.e. put_page(page), which looks
 * the folio up again with page_folio() at put time.
 */
public final class KvmTryGetPfnPath implements Path {
  private enum Pc {
    GET_PAGE_UNLESS_ZERO,
    PAGE_FOLIO,
    FOLIO_TRY_GET,
    PAGE_FOLIO_RECHECK,
    FOLIO_PUT_RETRY,
    GUEST_WRITE,
    PUT_PAGE_FOLIO,
    PUT_PAGE_PUT,
    DONE
  }

  private final TryGetPfnVariant variant;
  private final Topology topo;
  private final int[] pfnPool;
  private final int writes;
  private final int vm;
  private Pc pc;
  private int pfn;
  private int folio;
  private long gen;
  private int written;
  private int mem;

  /**
   * @param pfnPool pfns the guest may fault on; one is picked at start with the thread's generator
   */
  public KvmTryGetPfnPath(
      TryGetPfnVariant variant, Topology topo, int[] pfnPool, int writes, int vm) {
    this.variant = variant;
    this.topo = topo;
    this.pfnPool = pfnPool;
    this.writes = writes;
    this.vm = vm;
  }

  @Override
  public String name() {
    return "hva_to_pfn_remapped";
  }

  @Override
  public boolean start(Ctx ctx) {
    pfn = pfnPool[ctx.rng().nextInt(pfnPool.length)];
    mem = topo.memoryFor(pfn);
    if (variant == TryGetPfnVariant.GET_PAGE_UNLESS_ZERO) {
      pc = Pc.GET_PAGE_UNLESS_ZERO; // kvm_try_get_pfn(): get_page_unless_zero()
      ctx.send(mem, new MemoryProtocol.GetPageUnlessZero(pfn));
    } else {
      pc = Pc.PAGE_FOLIO; // kvm_try_get_pfn(): page_folio(pfn_to_page(pfn))
      ctx.send(mem, new MemoryProtocol.PageFolio(pfn));
    }
    return false;
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    switch (pc) {
      case GET_PAGE_UNLESS_ZERO -> {
        if (r.value() == 0) return fail(ctx);
        folio = pfn;
        gen = r.ghost();
        return guestWrite(ctx);
      }
      case PAGE_FOLIO -> {
        folio = (int) r.value();
        pc = Pc.FOLIO_TRY_GET; // folio_try_get()
        ctx.send(topo.memoryFor(folio), new MemoryProtocol.FolioTryGet(folio, 1));
        return false;
      }
      case FOLIO_TRY_GET -> {
        if (r.value() == 0) return fail(ctx);
        gen = r.ghost();
        if (variant == TryGetPfnVariant.FOLIO_TRY_GET) return guestWrite(ctx);
        pc = Pc.PAGE_FOLIO_RECHECK; // try_get_folio(): did the folio split under us?
        ctx.send(mem, new MemoryProtocol.PageFolio(pfn));
        return false;
      }
      case PAGE_FOLIO_RECHECK -> {
        if (r.value() == folio) return guestWrite(ctx);
        if (ctx.tracing()) {
          ctx.note("page_folio changed " + hex(folio) + " -> " + hex(r.value()) + ": put, retry");
        }
        pc = Pc.FOLIO_PUT_RETRY; // folio_put_refs() on the stale folio, then retry
        ctx.send(topo.memoryFor(folio), new MemoryProtocol.FolioPut(folio, 1));
        return false;
      }
      case FOLIO_PUT_RETRY -> {
        pc = Pc.PAGE_FOLIO;
        ctx.send(mem, new MemoryProtocol.PageFolio(pfn));
        return false;
      }
      case GUEST_WRITE -> {
        return written < writes ? guestWrite(ctx) : putPage(ctx);
      }
      case PUT_PAGE_FOLIO -> {
        int f = (int) r.value(); // put_page(): folio_put(page_folio(page))
        pc = Pc.PUT_PAGE_PUT;
        ctx.send(topo.memoryFor(f), new MemoryProtocol.FolioPut(f, 1));
        return false;
      }
      case PUT_PAGE_PUT -> {
        pc = Pc.DONE;
        return true;
      }
      default -> throw new IllegalStateException(pc.toString());
    }
  }

  private boolean fail(Ctx ctx) {
    // hva_to_pfn_remapped(): kvm_try_get_pfn() failed, the fault returns -EFAULT.
    if (ctx.tracing()) ctx.note("kvm_try_get_pfn failed: fault returns " + Errno.name(Errno.EFAULT));
    pc = Pc.DONE;
    return true;
  }

  private boolean guestWrite(Ctx ctx) {
    written++;
    pc = Pc.GUEST_WRITE;
    ctx.send(mem, new MemoryProtocol.PageWrite(pfn, folio, gen, PageTag.guestPrivate(vm), "guest"));
    return false;
  }

  private boolean putPage(Ctx ctx) {
    pc = Pc.PUT_PAGE_FOLIO; // kvm_release_pfn_clean() -> put_page(): page_folio() first
    ctx.send(mem, new MemoryProtocol.PageFolio(pfn));
    return false;
  }

  @Override
  public String where() {
    return pc + " pfn " + hex(pfn);
  }
}
