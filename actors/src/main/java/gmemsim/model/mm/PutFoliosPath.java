package gmemsim.model.mm;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Topology;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.List;

/** Teardown of an owner: folio_put() on every folio it still holds a reference on. */
public final class PutFoliosPath implements Path {
  private final Topology topo;
  private final List<Integer> folios;
  private int next;

  public PutFoliosPath(Topology topo, List<Integer> folios) {
    this.topo = topo;
    this.folios = List.copyOf(folios);
  }

  @Override
  public String name() {
    return "folio_put";
  }

  @Override
  public boolean start(Ctx ctx) {
    next = 0;
    return putNext(ctx);
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    return putNext(ctx);
  }

  private boolean putNext(Ctx ctx) {
    if (next >= folios.size()) return true;
    int f = folios.get(next++);
    ctx.send(topo.memoryFor(f), new MemoryProtocol.FolioPut(f, 1));
    return false;
  }

  @Override
  public String where() {
    return next <= 0 ? "start" : "folio " + hex(folios.get(next - 1));
  }
}
