package gmemsim.model.dmap;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Topology;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.mm.PageTag;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;

/**
 * A vCPU's use of one page of no-direct-map guest memory: wait until it is handed over, write
 * private data into it through the EPT, and before the VM gives it back scrub it (write zeros),
 * so that the later restore of its direct-map entry exposes nothing.
 */
public final class GuestPrivatePagePath implements Path {
  private enum Pc {
    WAIT,
    WRITE,
    SCRUB,
    DONE
  }

  private final Topology topo;
  private final int vm;
  private final long gen;
  private Pc pc;
  private int pfn;

  /** @param gen allocation generation of the page (the guest's belief about it) */
  public GuestPrivatePagePath(Topology topo, int vm, long gen) {
    this.topo = topo;
    this.vm = vm;
    this.gen = gen;
  }

  @Override
  public String name() {
    return "guest access";
  }

  @Override
  public boolean start(Ctx ctx) {
    pc = Pc.WAIT;
    return false;
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    switch (pc) {
      case WAIT -> {
        if (r.value() < 0) {
          pc = Pc.DONE;
          return true;
        }
        pfn = (int) r.value();
        pc = Pc.WRITE;
        ctx.send(topo.memoryFor(pfn),
            new MemoryProtocol.PageWrite(pfn, pfn, gen, PageTag.guestPrivateNoDirectMap(vm), "guest"));
      }
      case WRITE -> {
        pc = Pc.SCRUB;
        ctx.send(topo.memoryFor(pfn), new MemoryProtocol.PageWrite(pfn, pfn, gen, PageTag.NONE, "guest"));
      }
      case SCRUB -> {
        pc = Pc.DONE;
        return true;
      }
      default -> throw new IllegalStateException(pc.toString());
    }
    return false;
  }

  @Override
  public String where() {
    return pc + (pfn != 0 ? " " + hex(pfn) : "");
  }
}
