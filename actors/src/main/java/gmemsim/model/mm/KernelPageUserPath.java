package gmemsim.model.mm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Topology;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * An ordinary kernel user of order-0 pages: alloc_pages(), write its data, read it back, and
 * free the page with folio_put(). It is the next owner of whatever a stale user wrongly frees.
 */
public final class KernelPageUserPath implements Path {
  private enum Pc {
    ALLOC_PAGES,
    KERNEL_WRITE,
    KERNEL_READ,
    FOLIO_PUT,
    DONE
  }

  private final Topology topo;
  private final int range;
  private Pc pc;
  private int pfn;
  private long gen;
  private int data;

  /** @param range index of the memory range to allocate from */
  public KernelPageUserPath(Topology topo, int range) {
    this.topo = topo;
    this.range = range;
  }

  @Override
  public String name() {
    return "alloc_pages/__free_pages";
  }

  @Override
  public boolean start(Ctx ctx) {
    pc = Pc.ALLOC_PAGES;
    ctx.send(topo.memoryRange(range), new MemoryProtocol.AllocPages(0, false));
    return false;
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    switch (pc) {
      case ALLOC_PAGES -> {
        if (r.value() < 0) {
          pc = Pc.DONE;
          return true;
        }
        pfn = (int) r.value();
        gen = r.ghost();
        data = PageTag.kernel(ctx.self());
        pc = Pc.KERNEL_WRITE;
        ctx.send(topo.memoryFor(pfn), new MemoryProtocol.PageWrite(pfn, pfn, gen, data, "kernel"));
      }
      case KERNEL_WRITE -> {
        pc = Pc.KERNEL_READ;
        ctx.send(topo.memoryFor(pfn), new MemoryProtocol.PageRead(pfn, pfn, gen, "kernel"));
      }
      case KERNEL_READ -> {
        if (r.value() != data && ctx.tracing()) {
          ctx.note(
              "its data in " + hex(pfn) + " was overwritten: "
                  + PageTag.describe((int) r.value(), ctx::name));
        }
        pc = Pc.FOLIO_PUT;
        ctx.send(topo.memoryFor(pfn), new MemoryProtocol.FolioPut(pfn, 1));
      }
      case FOLIO_PUT -> {
        pc = Pc.DONE;
        return true;
      }
      default -> throw new IllegalStateException(pc.toString());
    }
    return false;
  }

  @Override
  public String where() {
    return pc + (pfn != 0 ? " pfn " + hex(pfn) : "");
  }
}
