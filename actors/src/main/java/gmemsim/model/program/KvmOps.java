package gmemsim.model.program;

import gmemsim.model.exec.SourcePath;

import static gmemsim.model.program.World.PAGE_SIZE;

import gmemsim.model.exec.NoStepCall;
import gmemsim.model.gmem.GmemEnv;
import gmemsim.model.kvm.VmType;
import gmemsim.scenario.program.OpArgs;
import java.util.List;

/**
 * The VMM's KVM ioctls on the VM and its memslot (virt/kvm/kvm_main.c, virt/kvm/guest_memfd.c
 * kvm_gmem_bind(), arch/x86/kvm/vmx/tdx.c), and the balloon device's host side.
 */
final class KvmOps {
  /** The model's memslot must start on a 2M boundary (its lpage_info is per 2M region). */
  static final long HUGE_PAGES = 512;

  private KvmOps() {}

  static List<Op> all() {
    return List.of(bind(), setMemoryAttributes(), populate(), balloonReclaim(), closeVm(), checkExtension());
  }

  private static OpSpec spec(String name, List<Param> params, List<String> results, String upstream, String d) {
    return new OpSpec(name, Domain.USERSPACE, params, results, upstream, d);
  }

  /** The arguments of a bind, as the builder lays the memslot out before the programs run. */
  record Bind(long gfn, long offset, long size) {
    static Bind of(OpArgs a, long fileBytes) {
      long gfn = a.number("gfn", null, false);
      long offset = a.number("offset", 0L, true);
      long size = a.number("size", fileBytes - Math.max(0, offset), true);
      return new Bind(gfn, offset, size);
    }

    /** kvm_set_memory_region()'s result for this call, with old the memslot that exists when it runs (null: none). */
    NoStepCall.Result result(gmemsim.scenario.Scenario s, VmType vm, long fileBytes, VmSlot old) {
      return ArgumentChecks.bind(s, vm, fileBytes, old == null ? 0 : old.binding().baseGfn(), old == null ? 0 : old.pages(), gfn,
          offset, size);
    }
  }

  private static Op bind() {
    return new SimpleOp(
        spec("bind",
            List.of(Param.required("gfn", "first guest frame of the memslot"),
                Param.optional("offset", "0", "guest_memfd_offset, bytes"),
                Param.optional("size", "the file", "memory_size, bytes")),
            List.of("0", "EINVAL", "EEXIST"), "kvm_set_memory_region(), kvm_gmem_bind()",
            "KVM_SET_USER_MEMORY_REGION2 with KVM_MEM_GUEST_MEMFD: a memslot backed by the file (the first that succeeds"
                + " is the VM's memslot)"),
        (a, c) -> {
          GmemFile f = c.file(a);
          Bind b = Bind.of(a, f.sizeBytes());
          VmSlot vm = c.world().vm();
          // The memslot this call made is built with the machine; any other call finds it there.
          VmSlot old = vm != null && vm.madeBy().equals(a.call().path()) ? null : vm;
          NoStepCall.Result r = b.result(c.world().scenario(), c.world().vmType(), f.sizeBytes(), old);
          return List.of(c.kernel("vmm_decided", r.value()).noting(r.value() == 0
              ? "kvm_set_memory_region() returns 0: memslot at gfn " + Long.toHexString(b.gfn()) + " over the file"
              : r.errorAt()));
        });
  }

  private static Op setMemoryAttributes() {
    return new SimpleOp(
        spec("set-memory-attributes",
            List.of(Param.required("address", "guest physical address, bytes"), Param.required("size", "bytes"),
                Param.required("attributes", "private | shared"), Param.optional("flags", "0", "must be 0")),
            List.of("0", "EINVAL", "ENOMEM", "EAGAIN"), "kvm_vm_ioctl_set_mem_attributes(), kvm_vm_set_mem_attributes()",
            "KVM_SET_MEMORY_ATTRIBUTES: convert a range to private or shared (zapping what KVM maps)"),
        (a, c) -> {
          long addr = a.number("address", null, true);
          long size = a.number("size", null, true);
          boolean toPrivate = a.word("attributes", null, List.of("private", "shared")).equals("private");
          long flags = a.number("flags", 0L, false);
          // kvm_vm_ioctl_set_mem_attributes() checks its arguments first (kernel/virt/kvm/kvm_main.c); an
          // invalid call never reaches the memslot, so only a valid one must lie in the model's memslot.
          boolean valid = flags == 0 && (!toPrivate || c.world().vmType().privateMem()) && size > 0 && addr + size >= addr
              && addr % PAGE_SIZE == 0 && size % PAGE_SIZE == 0;
          VmSlot vm = c.vm(a);
          long gfn = addr / PAGE_SIZE;
          long pages = size / PAGE_SIZE;
          if (valid && (!vm.covers(gfn) || !vm.covers(gfn + pages - 1))) {
            throw a.error("address", "[" + hex(addr) + ", " + hex(addr + size) + ") is not inside the memslot [" + hex(vm.binding().baseGfn() * PAGE_SIZE)
                + ", " + hex((vm.binding().baseGfn() + vm.pages()) * PAGE_SIZE) + "): not modelled (attributes of gfns no memslot covers)");
          }
          c.env(a);
          gmemsim.model.exec.SourcePath p = c.kernel("vmm_set_memory_attributes", gmemsim.model.prim.Handles.of(vm.binding().kvm()),
              addr, size, toPrivate ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0, flags);
          return List.of(p);
        });
  }

  private static Op populate() {
    return new SimpleOp(
        spec("populate",
            List.of(Param.required("gfn", "first guest frame"), Param.optional("pages", "1", "how many"),
                Param.optional("src", "written", "the source buffer: written (the VMM wrote the image: its PTEs are"
                    + " present) or untouched (no PTE: GUP faults the zero page in under mmap_lock)")),
            List.of("0", "EINVAL", "EHWPOISON", "ENOMEM", "EFAULT"),
            "tdx_vcpu_init_mem_region(), kvm_gmem_populate(), get_user_pages_fast(), tdx_gmem_post_populate()",
            "KVM_TDX_INIT_MEM_REGION: copy the initial image into private pages before the TD runs (TDX only); then the"
                + " VMM unmaps its source buffer"),
        (a, c) -> {
          long gfn = a.number("gfn", null, false);
          int pages = a.count("pages", 1, 1, 1 << 20);
          a.word("src", "written", ProcessMm.SRC);
          VmSlot vm = c.vm(a);
          if (c.world().vmType() != VmType.TDX) {
            throw a.error(null, "populate is modelled for TDX (tdx_gmem_post_populate) only; vm.type is " + c.world().vmType().knob());
          }
          if (!vm.covers(gfn) || !vm.covers(gfn + pages - 1)) {
            throw a.error("gfn", "[" + hex(gfn) + ", " + hex(gfn + pages) + ") is not inside the memslot: not modelled");
          }
          c.env(a);
          long mm = c.mm(a);
          int src = c.world().mm().srcIndex().get(a.call().path());
          // The initial image's pages: the guest's private data (named by the operation, see vmm_init_mem_region()).
          gmemsim.model.exec.SourcePath p = c.kernel("vmm_init_mem_region", gmemsim.model.prim.Handles.of(vm.binding().kvm()),
              mm, gfn, pages, src, gmemsim.model.mm.PageTag.guestPrivate(World.VM_ID));
          return List.of(p);
        });
  }

  private static Op balloonReclaim() {
    return new SimpleOp(
        spec("balloon-reclaim", List.of(), List.of(), "virtio-balloon device model in the VMM, then fallocate(PUNCH_HOLE)",
            "take the next page the guest's balloon returned and punch it out of the file"),
        (a, c) -> {
          if (c.world().balloon() < 0) throw a.error(null, "no balloon device");
          GmemEnv env = c.env(a);
          return List.of(c.kernel("virtio_balloon_handle_output", gmemsim.model.prim.Handles.of(c.world().balloon()),
              env.file()));
        });
  }

  /** The VM ioctls that run as steps, after the machine is built (create and bind are decided before it). */
  private static final java.util.Set<String> VM_STEPS = java.util.Set.of("set-memory-attributes", "populate");
  /** What may not follow a close-vm in the same program (a second close-vm may: its -EBADF is modelled). */
  private static final java.util.Set<String> VM_IOCTLS = java.util.Set.of("create", "bind", "set-memory-attributes", "populate");

  /** The capabilities a program may ask about, and their numbers (include/uapi/linux/kvm.h). */
  static final List<String> CAPS = List.of("guest-memfd", "vm-types", "guest-memfd-flags");
  private static final long[] CAP_NUMBERS = {234, 235, 244};

  private static Op checkExtension() {
    return new SimpleOp(
        spec("check-extension",
            List.of(Param.required("cap", "one of " + CAPS), Param.optional("on", "vm", "vm (the VM fd, of vm.type) or system (/dev/kvm)"),
                Param.optional("expect-value", "none", "the value the call must return"),
                Param.optional("expect-bits", "none", "bits the value must all have set (the selftests' \"reports MMAP\")")),
            List.of(), "kvm_vm_ioctl_check_extension_generic(), kvm_vm_ioctl_check_extension()",
            "KVM_CHECK_EXTENSION: what KVM reports of guest_memfd and the VM types; expect-value and expect-bits check it"
                + " (abi-failure otherwise)"),
        (a, c) -> {
          long cap = CAP_NUMBERS[CAPS.indexOf(a.word("cap", null, CAPS))];
          boolean onVm = a.word("on", "vm", List.of("vm", "system")).equals("vm");
          long value = ArgumentChecks.checkExtension(c.world().scenario(), c.world().vmType(), onVm, cap).value();
          long expect = a.has("expect-value") ? a.number("expect-value", null, false) : -1;
          long bits = a.has("expect-bits") ? a.number("expect-bits", null, false) : -1;
          int siteValue = DataArgs.site(expect, a, c, "check-extension value");
          int siteBits = DataArgs.site(bits, a, c, "check-extension bits");
          gmemsim.model.exec.SourcePath p = c.kernel("vmm_check_extension", value, expect, bits, siteValue, siteBits);
          return List.of(p);
        });
  }

  private static Op closeVm() {
    return new SimpleOp(
        spec("close-vm", List.of(), List.of("0", "EBADF"), "kvm_vm_release(), kvm_put_kvm(), kvm_destroy_vm()",
            "close() the VM fd: its reference on the VM goes, and the last reference destroys the VM (the guest_memfd file"
                + " and each vCPU fd hold one)"),
        (a, c) -> {
          VmSlot vm = c.vm(a);
          if (c.vmClosed()) {
            gmemsim.model.exec.SourcePath p = c.kernel("vmm_close_vm", 0);
            return List.of(p);
          }
          refuseVmCallsAfter(a, c);
          c.closeVm();
          // A task an oops killed still closes its files (do_exit()): the call runs at exit too.
          return List.of(c.kernelAtExit("vmm_close_vm", gmemsim.model.prim.Handles.of(vm.binding().kvm())));
        });
  }

  /**
   * After the close, only a second close of the same actor may name the VM fd: its -EBADF is
   * modelled. A VM ioctl after it in the same program, or one that runs as steps in another
   * actor's (whose order against the close is the scheduler's), would need the fd table the VMM's
   * threads share; create and bind in other programs are decided before the run.
   */
  private static void refuseVmCallsAfter(OpArgs a, ActorCtx c) {
    for (gmemsim.scenario.program.ActorDecl d : c.world().scenario().programs(gmemsim.scenario.Knobs.ACTORS).actors()) {
      boolean mine = d.name().equals(c.name());
      boolean after = !mine;
      for (gmemsim.scenario.program.OpCall o : d.program()) {
        if (o == a.call()) {
          after = true;
          continue;
        }
        if (after && (mine ? VM_IOCTLS : VM_STEPS).contains(o.op())) {
          throw a.error(null, "not modelled: " + o.op() + " at " + o.at() + (mine ? " after" : " in another actor than")
              + " the close of the VM fd (the VM fd table's -EBADF)");
        }
      }
    }
  }

  /** KVM_MEMORY_ATTRIBUTE_PRIVATE (include/uapi/linux/kvm.h). */
  private static final long KVM_MEMORY_ATTRIBUTE_PRIVATE = 1 << 3;

  static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
