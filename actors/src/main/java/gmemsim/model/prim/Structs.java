package gmemsim.model.prim;

import gmemsim.lang.Externals;
import gmemsim.lang.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of kernel objects that source reads with {@code ->} without a step: fields fixed for
 * the object's life (a memslot's base_gfn), and locks, whose address source passes to a lock
 * primitive. A field that changes is no field here: it lives in its owner and a primitive reads
 * it. Values are the machine's ({@code KernelEnv}); this is the static shape.
 */
public final class Structs {
  private static final List<Externals.StructField> ALL = new ArrayList<>();
  private static final Map<String, Map<String, Externals.StructField>> BY_STRUCT = new LinkedHashMap<>();
  private static final Map<String, String> DOCS = new LinkedHashMap<>();

  static {
    struct("kvm", "one VM (struct kvm)")
        .lock("mmu_lock", "rwlock_t: the MMU's lock (read for faults, write for invalidation)")
        .lock("slots_lock", "struct mutex: memslot updates, populate, release")
        .counter("users_count", "refcount_t: the references on the VM (its fd, each vCPU fd, the guest_memfd file it"
            + " created); the last kvm_put_kvm() destroys it")
        .object("mm", "mm_struct", "the VMM's mm (kvm->mm)")
        .object("memslot", "kvm_memory_slot", "the model's one memslot (upstream: kvm->memslots[0], found by gfn_to_memslot())")
        .value("vm_id", "int", "ghost: the VM's number in page content tags and oracle reports")
        .value("vm_type", "unsigned long", "KVM_X86_DEFAULT_VM, KVM_X86_SW_PROTECTED_VM or KVM_X86_TDX_VM");
    struct("kvm_memory_slot", "a memslot (fixed from boot in the model)")
        .value("base_gfn", "gfn_t", "first gfn")
        .value("npages", "unsigned long", "pages")
        .value("userspace_addr", "unsigned long", "the VMA page its first gfn is backed by (an hva, in pages)")
        .value("gmem.pgoff", "pgoff_t", "the guest_memfd index its first gfn is bound to");
    struct("address_space", "a guest_memfd inode's page cache (inode->i_mapping)")
        .lock("invalidate_lock", "rw_semaphore: PUNCH_HOLE and populate hold it for write, faults of the file shared")
        .object("host", "inode", "the inode whose page cache this is")
        .value("id", "unsigned long", "the value folio->mapping holds for this mapping's folios (a pointer upstream, a number"
            + " in the model's struct pages)")
        .value("max_folio_order", "int", "mapping_max_folio_order(): gmem.folio-order, the order of the folios the"
            + " huge-page series allocates (mainline guest_memfd: 0)");
    struct("inode", "the guest_memfd inode (the struct file, inode and page cache are one owner in the model)")
        .object("i_mapping", "address_space", "its page cache")
        .value("i_size", "loff_t", "the file size in bytes (fixed: guest_memfd cannot be resized)")
        .value("i_private", "u64", "guest_memfd's creation flags, GUEST_MEMFD_FLAG_* (torvalds 0f94e51 keeps them here)")
        .value("i_blkbits", "unsigned int", "log2 of the block size: the guest_memfd pseudo filesystem's PAGE_SHIFT"
            + " (pseudo_fs_fill_super(), fs/libfs.c)")
        .object("gmem.kvm", "kvm", "the VM whose memslot is bound to the file (f->kvm of the one gmem_file on the inode's"
            + " list), NULL when none is");
    struct("file", "the VMM's struct file of the guest_memfd (f_count lives in the inode's owner)")
        .object("f_inode", "inode", "file_inode(file)")
        .object("f_mapping", "address_space", "the file's page cache");
    struct("mm_struct", "the VMM's address space")
        .lock("anon_vma_lock", "the anon_vma's rw_semaphore of the VMM's guest RAM (one anon_vma in the model)")
        .lock("mmap_lock", "rw_semaphore: the VMAs (read for page faults and GUP's slow path, write for mmap() and munmap())")
        .value("zero_pfn", "unsigned long", "model: mm/memory.c's global zero_pfn, the shared zero page (the subset has no"
            + " globals: the mm carries it)")
        .object("mmu_notifier_kvm", "kvm", "the mmu_notifier subscriber (KVM's) registered on this mm, or NULL");
    struct("direct_map", "the kernel page tables of the direct map (init_mm's, from PAGE_OFFSET): __direct_map()")
        .lock("cpa_lock", "arch/x86/mm/pat/set_memory.c's static spinlock around each __change_page_attr() (the subset has"
            + " no globals: the direct map's owner holds it)")
        .lock("pgd_lock", "arch/x86/mm/pgtable.c's global spinlock over the kernel page tables, taken by __split_large_page()"
            + " (the subset has no globals: the direct map's owner holds it)");
  }

  private Structs() {}

  private record Builder(String struct) {
    Builder lock(String path, String doc) {
      return add(path, new Type("spinlock_t", 0), true, doc);
    }

    Builder counter(String path, String doc) {
      return add(path, new Type("refcount_t", 0), true, doc);
    }

    Builder value(String path, String type, String doc) {
      return add(path, new Type(type, 0), false, doc);
    }

    Builder object(String path, String struct, String doc) {
      return add(path, new Type("struct " + struct, 1), false, doc);
    }

    private Builder add(String path, Type t, boolean addressOnly, String doc) {
      Externals.StructField f = new Externals.StructField(ALL.size(), path, t, addressOnly);
      ALL.add(f);
      BY_STRUCT.get(struct).put(path, f);
      DOCS.put(struct + "->" + path, doc);
      return this;
    }
  }

  private static Builder struct(String name, String doc) {
    BY_STRUCT.put(name, new LinkedHashMap<>());
    DOCS.put(name, doc);
    return new Builder(name);
  }

  public static Externals.StructField field(String struct, String path) {
    Map<String, Externals.StructField> m = BY_STRUCT.get(struct);
    return m == null ? null : m.get(path);
  }

  public static Collection<String> fields(String struct) {
    Map<String, Externals.StructField> m = BY_STRUCT.get(struct);
    return m == null ? List.of() : m.keySet();
  }

  public static String fieldPath(int id) {
    return ALL.get(id).path();
  }

  /** The id of a field, by "struct->path" (machine builders set values by it). */
  public static int id(String struct, String path) {
    Externals.StructField f = field(struct, path);
    if (f == null) throw new IllegalArgumentException("struct " + struct + " has no field " + path);
    return f.id();
  }

  public static int count() {
    return ALL.size();
  }

  /** "struct->field" -> one line, for gmemsim list. */
  public static Map<String, String> docs() {
    return java.util.Collections.unmodifiableMap(DOCS);
  }
}
