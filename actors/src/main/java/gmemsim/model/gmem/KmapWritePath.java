package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.CallingPath;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * A kernel write to pages of a guest_memfd folio, page by page: clear_highpage() when preparing a
 * folio, copy_from_user() in write(). On x86-64 kmap_local_page() is page_address(), so the store
 * goes through the direct map and this CPU's TLB (an invalid entry is an oops that kills the
 * task). The filemap design forbids that for folios in the page cache and uses a temporary local
 * mapping instead (mermap / __GFP_UNMAPPED), which no other CPU can translate.
 */
public final class KmapWritePath extends CallingPath {
  private final String what;
  private final GmemEnv env;
  private final int first;
  private final int nr;
  private final int data;
  private int k;
  private SourcePath access;
  /** The store oopsed: the task is dead. */
  boolean oops;

  /** Whether the writer goes through the direct map even in the filemap design. */
  private final boolean unawareOfTemporaryMapping;

  KmapWritePath(String what, GmemEnv env, int first, int nr, int data) {
    this(what, env, first, nr, data, false);
  }

  /**
   * @param unawareOfTemporaryMapping a writer the filemap design did not convert (it calls
   *     kmap_local_page() itself), so it stores through the direct map in every design
   */
  KmapWritePath(String what, GmemEnv env, int first, int nr, int data, boolean unawareOfTemporaryMapping) {
    this.unawareOfTemporaryMapping = unawareOfTemporaryMapping;
    this.what = what;
    this.env = env;
    this.first = first;
    this.nr = nr;
    this.data = data;
  }

  @Override
  public String name() {
    return what;
  }

  private boolean temporaryMapping() {
    return env.design().hooks().temporaryKmap() && !unawareOfTemporaryMapping;
  }

  @Override
  protected boolean begin(Ctx ctx) {
    k = 0;
    oops = false;
    return write(ctx);
  }

  private boolean write(Ctx ctx) {
    int pfn = first + k;
    if (temporaryMapping()) {
      ctx.send(env.memoryFor(pfn), new MemoryProtocol.TempMapWrite(pfn, data));
      return false;
    }
    access = store(env, what, pfn, data);
    return call(access, ctx);
  }

  @Override
  protected boolean step(Ret r, Ctx ctx) {
    if (!temporaryMapping() && access.killed()) {
      oops = true;
      return true;
    }
    if (++k < nr) return write(ctx);
    return true;
  }

  /**
   * The kernel source of one page's store through its kmap_local_page() address (the direct map
   * on x86-64): clear_highpage(), copy_from_user() of the data, folio_zero_segment() of the page,
   * else memcpy_to_page(). An oops names {@code what}, as this path always has.
   */
  static SourcePath store(GmemEnv env, String what, int pfn, int data) {
    SourcePath p = switch (what) {
      case "clear_highpage" -> new SourcePath(env.kernel(), "clear_highpage", pfn);
      case "copy_from_user" -> new SourcePath(env.kernel(), "copy_from_user", GmemEnv.folioAddress(pfn), data, 4096);
      case "folio_zero_segment" -> new SourcePath(env.kernel(), "folio_zero_segment", pfn, 0, 4096);
      default -> new SourcePath(env.kernel(), "memcpy_to_page", pfn, 0, data, 4096);
    };
    return p.faultingAs(what);
  }

  @Override
  protected String here() {
    return what + " " + hex(first + k);
  }
}
