package gmemsim.model.gmem;

import gmemsim.model.Topology;
import gmemsim.model.prim.Handles;

/**
 * What the operations on the guest_memfd need to reach it: the inode's component (its handle is
 * the struct file, inode and address_space kernel source passes around), the file's size and the
 * VM whose private data the guest writes.
 *
 * @param noDirectMap the file was created GUEST_MEMFD_FLAG_NO_DIRECT_MAP: what userspace and the
 *     guest write into it is data the direct map must never expose (ghost tag)
 */
public record GmemEnv(Topology topo, int inode, int sizePages, int vm, boolean noDirectMap) {
  /** The ghost tag of data the guest or the VMM writes into the file's pages. */
  public int guestData() {
    return noDirectMap ? gmemsim.model.mm.PageTag.guestPrivateNoDirectMap(vm) : gmemsim.model.mm.PageTag.guestPrivate(vm);
  }

  public int memoryFor(int pfn) {
    return topo.memoryFor(pfn);
  }

  /** The file (and its inode and page cache) as kernel source names it. */
  public long file() {
    return Handles.of(inode);
  }
}
