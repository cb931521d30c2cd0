package gmemsim.model.dmap;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * Hands the zapped page to the guest (get_pfn returns, KVM maps it): from here on the guest
 * writes private data into it. If the zap failed, the guest gets the error instead.
 */
public final class PublishPath implements Path {
  private final int guest;
  private final int pfn;
  private final PageHandoff zap;
  private final boolean ignoreError;

  /** @param ignoreError hand the page over even if the zap failed (race 7) */
  public PublishPath(int guest, int pfn, PageHandoff zap, boolean ignoreError) {
    this.guest = guest;
    this.pfn = pfn;
    this.zap = zap;
    this.ignoreError = ignoreError;
  }

  @Override
  public String name() {
    return "publish to the guest";
  }

  @Override
  public boolean start(Ctx ctx) {
    boolean ok = zap.result == 0 || ignoreError;
    if (ctx.tracing()) {
      ctx.note(
          ok
              ? "hands " + hex(pfn) + " to the guest" + (zap.result == 0 ? "" : " although the zap failed")
              : "zap failed: the fault returns an error");
    }
    ctx.send(guest, Ret.of(ok ? pfn : zap.result));
    return true;
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    throw new IllegalStateException("publish expects no reply");
  }

  @Override
  public String where() {
    return "publish " + hex(pfn);
  }
}
