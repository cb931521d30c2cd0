package gmemsim.model.program;

import gmemsim.model.exec.KernelPrograms;
import gmemsim.model.exec.NoStepCall;
import gmemsim.model.gmem.GmemInode;
import gmemsim.model.kvm.VmType;
import gmemsim.scenario.Scenario;
import java.util.List;

/**
 * KVM_CREATE_GUEST_MEMFD's and KVM_SET_USER_MEMORY_REGION2's results, from the kernel source's
 * kvm_gmem_create() and kvm_set_memory_region() run before the machine exists: the machine is
 * built from the calls that succeed (the file, the memslot), and each call reports its result.
 * Worked out once per scenario and arguments (the machine is built again for every run).
 */
final class ArgumentChecks {
  /** GUEST_MEMFD_FLAG_* of the names a program may give, in {@link FileOps#FLAGS}' order; "unknown-bit" is one no series defines. */
  private static final long[] FLAG_BITS = {GmemInode.FLAG_MMAP, GmemInode.FLAG_INIT_SHARED, GmemInode.FLAG_NO_DIRECT_MAP,
      GmemInode.FLAG_WRITE, 1L << 63};

  private ArgumentChecks() {}

  static long flagBits(List<String> flags) {
    long bits = 0;
    for (String f : flags) bits |= FLAG_BITS[FileOps.FLAGS.indexOf(f)];
    return bits;
  }

  private record Create(VmType vm, long size, long flags) {}

  /** kvm_gmem_create(kvm, size, flags) on a VM of this type. */
  static NoStepCall.Result create(Scenario s, VmType vm, long size, List<String> flags) {
    return s.memo(new Create(vm, size, flagBits(flags)), () -> {
      NoStepCall c = new NoStepCall(KernelPrograms.of(s));
      long kvm = c.object();
      c.field(kvm, "kvm", "vm_type", vm.abi());
      return c.run("kvm_gmem_create", kvm, size, flagBits(flags));
    });
  }

  private record Bind(VmType vm, long fileBytes, long oldGfn, long oldPages, long gfn, long offset, long size) {}

  /**
   * kvm_set_memory_region(kvm, old, file, gfn, offset, size) for a file of fileBytes; old is the
   * memslot that exists when the call runs (oldPages 0: none).
   */
  static NoStepCall.Result bind(Scenario s, VmType vm, long fileBytes, long oldGfn, long oldPages, long gfn, long offset,
      long size) {
    return s.memo(new Bind(vm, fileBytes, oldGfn, oldPages, gfn, offset, size), () -> {
      NoStepCall c = new NoStepCall(KernelPrograms.of(s));
      long kvm = c.object();
      c.field(kvm, "kvm", "vm_type", vm.abi());
      long file = c.object();
      c.field(file, "file", "f_inode", file).field(file, "inode", "i_size", fileBytes);
      long old = 0;
      if (oldPages > 0) {
        old = c.object();
        c.field(old, "kvm_memory_slot", "base_gfn", oldGfn).field(old, "kvm_memory_slot", "npages", oldPages);
      }
      return c.run("kvm_set_memory_region", kvm, old, file, gfn, offset, size);
    });
  }

  private record CheckExtension(VmType vm, boolean onVm, long cap) {}

  /** KVM_CHECK_EXTENSION(cap) on a VM of this type (onVm) or on /dev/kvm: kvm_vm_ioctl_check_extension_generic(). */
  static NoStepCall.Result checkExtension(Scenario s, VmType vm, boolean onVm, long cap) {
    return s.memo(new CheckExtension(vm, onVm, cap), () -> {
      NoStepCall c = new NoStepCall(KernelPrograms.of(s));
      long kvm = 0;
      if (onVm) {
        kvm = c.object();
        c.field(kvm, "kvm", "vm_type", vm.abi());
      }
      return c.run("kvm_vm_ioctl_check_extension_generic", kvm, cap);
    });
  }
}
