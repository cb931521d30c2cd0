package gmemsim.model.cpu;

import static gmemsim.model.dmap.Addr.hexVa;

import gmemsim.model.Ctx;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/** flush_tlb_kernel_range(start, end): returns once no CPU holds a translation for the range. */
public final class FlushTlbKernelRangePath implements Path {
  private final TlbShootdown shootdown;
  private final long start;
  private final long end;

  public FlushTlbKernelRangePath(int[] cpus, long start, long end) {
    this.shootdown = new TlbShootdown(cpus);
    this.start = start;
    this.end = end;
  }

  @Override
  public String name() {
    return "flush_tlb_kernel_range";
  }

  @Override
  public boolean start(Ctx ctx) {
    return shootdown.send(ctx, start, end, false);
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    boolean done = shootdown.ack();
    if (done && ctx.tracing()) ctx.note("flush_tlb_kernel_range(" + hexVa(start) + ") complete: every CPU acked");
    return done;
  }

  @Override
  public String where() {
    return "waiting for flush acks";
  }
}
