package gmemsim.model.cpu;

import gmemsim.model.Ctx;

/**
 * on_each_cpu(fn, wait=1) for a TLB flush: one IPI per online CPU (the sender's own CPU runs fn
 * too), then wait for every ack. Each IPI and each ack is its own message, so a CPU keeps its
 * stale entry until its own IPI is handled.
 */
public final class TlbShootdown {
  /** flush_tlb_kernel_range() switches to a full flush above this many pages. */
  public static final int SINGLE_PAGE_FLUSH_CEILING = 33;

  private final int[] cpus;
  private int acks;

  public TlbShootdown(int[] cpus) {
    this.cpus = cpus.clone();
  }

  /** Sends the IPIs; returns true if there is no CPU to wait for. */
  public boolean send(Ctx ctx, long start, long end, boolean full) {
    boolean f = full || (end - start) / 4096 > SINGLE_PAGE_FLUSH_CEILING;
    return sendAll(ctx, new CpuProtocol.FlushTlbIpi(start, end, f));
  }

  /** Sends one request to every CPU; returns true if there is no CPU to wait for. */
  public boolean sendAll(Ctx ctx, gmemsim.model.Msg request) {
    acks = 0;
    for (int c : cpus) ctx.send(c, request);
    return cpus.length == 0;
  }

  /** Counts one ack; true once every CPU has acked. */
  public boolean ack() {
    return ++acks == cpus.length;
  }
}
