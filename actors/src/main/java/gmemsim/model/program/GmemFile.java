package gmemsim.model.program;

import gmemsim.model.gmem.DirectMapRemoval;
import java.util.List;

/**
 * The guest_memfd a program's successful {@code create} made: its inode component, size, folio
 * order, flags and the direct-map design that applies to it (off unless it is NO_DIRECT_MAP).
 */
public record GmemFile(String name, int inode, int inodeId, int sizePages, int order, List<String> flags,
    DirectMapRemoval design, String madeBy) {
  public boolean has(String flag) {
    return flags.contains(flag);
  }

  public long sizeBytes() {
    return (long) sizePages * World.PAGE_SIZE;
  }
}
