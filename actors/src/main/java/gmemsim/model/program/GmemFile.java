package gmemsim.model.program;

import java.util.List;

/**
 * The guest_memfd a program's successful {@code create} made: its inode component, size, folio
 * order and flags (a direct-map design acts on it only when it is NO_DIRECT_MAP: the designs' code
 * tests the flag, as the series do).
 */
public record GmemFile(String name, int inode, int inodeId, int sizePages, int order, List<String> flags, String madeBy) {
  public boolean has(String flag) {
    return flags.contains(flag);
  }

  public long sizeBytes() {
    return (long) sizePages * World.PAGE_SIZE;
  }
}
