package gmemsim.model.cpu;

import static gmemsim.model.dmap.Addr.hexVa;

import gmemsim.model.Msg;

/** Messages a CPU handles besides the results of its own steps. */
public final class CpuProtocol {
  private CpuProtocol() {}

  /**
   * The function flush_tlb_kernel_range() / flush_tlb_all() runs on every CPU through
   * on_each_cpu(): INVLPG per page of [start, end), or a full flush. The reply is the ack the
   * sender waits for.
   */
  public record FlushTlbIpi(long start, long end, boolean full) implements Msg {
    public String step() {
      return full ? "flush_tlb_all IPI" : "flush_tlb_kernel_range IPI";
    }

    @Override
    public String describe() {
      return full ? step() + "()" : step() + "(" + hexVa(start) + ".." + hexVa(end) + ")";
    }
  }
}
