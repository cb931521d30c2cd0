package gmemsim.model.gmem;

import gmemsim.model.Topology;
import gmemsim.model.cpu.Tlb;
import gmemsim.model.dmap.Addr;
import gmemsim.model.kvm.KvmBinding;

/**
 * What a guest_memfd path needs to reach the state it touches: the inode, the memory and
 * direct-map components, every CPU (for flush IPIs), the TLB of the CPU the path runs on, and the
 * design under test. Immutable; one per CPU.
 *
 * @param pageCache the inode's name: who holds the page cache's folio references (ghost ledger)
 * @param inodeId the value folio->mapping holds for this inode's folios
 * @param vm the VM whose private data the guest writes
 * @param truncateRange gmem.truncate-range: what PUNCH_HOLE does with a partly covered large folio
 * @param mappingRecheck gmem.lookup-mapping-recheck: kvm_gmem_get_folio() re-checks folio->mapping
 *     once it holds the folio lock (filemap_lock_folio() upstream); off: race 13
 * @param kvm the VM the file is bound to (memslot, MMU), or null when no VM is bound (the
 *     direct-map workloads: their guest accesses are made under get_pfn's reference)
 * @param noDirectMap the file was created GUEST_MEMFD_FLAG_NO_DIRECT_MAP: what userspace and the
 *     guest write into it is data the direct map must never expose (ghost tag)
 * @param kernel the kernel source of the machine, for the functions already written as source
 */
public record GmemEnv(
    Topology topo,
    int inode,
    String pageCache,
    int inodeId,
    int sizePages,
    int folioOrder,
    int directMap,
    int[] cpus,
    Tlb tlb,
    DirectMapRemoval design,
    int vm,
    TruncateRange truncateRange,
    boolean mappingRecheck,
    KvmBinding kvm,
    boolean noDirectMap,
    gmemsim.model.exec.KernelEnv kernel) {

  public GmemEnv(Topology topo, int inode, String pageCache, int inodeId, int sizePages, int folioOrder,
      int directMap, int[] cpus, Tlb tlb, DirectMapRemoval design, int vm, TruncateRange truncateRange) {
    this(topo, inode, pageCache, inodeId, sizePages, folioOrder, directMap, cpus, tlb, design, vm, truncateRange, true, null, true,
        null);
  }

  /** The ghost tag of data the guest or the VMM writes into the file's pages. */
  public int guestData() {
    return noDirectMap ? gmemsim.model.mm.PageTag.guestPrivateNoDirectMap(vm) : gmemsim.model.mm.PageTag.guestPrivate(vm);
  }

  public int memoryFor(int pfn) {
    return topo.memoryFor(pfn);
  }

  public int nrPages() {
    return 1 << folioOrder;
  }

  /** folio_address(): the direct-map address of the folio's first page. */
  public static long folioAddress(int folio) {
    return Addr.pageAddress(folio);
  }
}
