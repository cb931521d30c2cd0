package gmemsim.model.program;

import gmemsim.model.exec.SourcePath;

import gmemsim.model.gmem.GmemEnv;
import gmemsim.model.kvm.VmType;
import gmemsim.model.prim.Handles;
import gmemsim.scenario.program.OpArgs;
import java.util.ArrayList;
import java.util.List;

/**
 * What a guest does on its vCPU. Accesses go through the guest TLB and EPT; a miss is an EPT
 * violation handled by KVM (kvm_tdp_page_fault(), kvm_gmem_get_pfn()). A guest access has no
 * result a program can check: a fault KVM cannot resolve kills the guest, which the oracles see.
 * What a load reads it can check ({@code expect-data}).
 */
final class GuestOps {
  private GuestOps() {}

  static List<Op> all() {
    return List.of(access(), accept(), gmemFault(), balloonRelease());
  }

  private static OpSpec spec(String name, List<Param> params, String upstream, String d) {
    return new OpSpec(name, Domain.GUEST, params, List.of(), upstream, d);
  }

  /** The file indexes of [gfn, gfn + pages) with a stride, all inside the memslot. */
  private static List<Integer> indexes(OpArgs a, VmSlot vm) {
    long gfn = a.number("gfn", null, false);
    int pages = a.count("pages", 1, 1, 1 << 20);
    int stride = a.count("stride", 1, 1, 1 << 20);
    List<Integer> out = new ArrayList<>();
    for (long g = gfn; g < gfn + pages; g += stride) {
      if (!vm.covers(g)) {
        throw a.error("gfn", "gfn " + KvmOps.hex(g) + " is outside the memslot [" + KvmOps.hex(vm.binding().baseGfn()) + ", "
            + KvmOps.hex(vm.binding().baseGfn() + vm.pages()) + "): not modelled (KVM would exit to userspace)");
      }
      out.add(vm.binding().index(g));
    }
    return out;
  }

  private static Op access() {
    return new SimpleOp(
        spec("access",
            List.of(Param.required("gfn", "first guest frame"), Param.optional("pages", "1", "frames from gfn"),
                Param.optional("stride", "1", "every stride-th frame"), Param.optional("write", "true", "store (false: load)"),
                Param.optional("accept", "false", "a TD accepts each frame just before its access (TDG.MEM.PAGE.ACCEPT)"),
                DataArgs.DATA, DataArgs.EXPECT),
            "kvm_tdp_page_fault(), kvm_mmu_faultin_pfn(), kvm_gmem_get_pfn()",
            "the guest loads or stores each frame of the range through its TLB and EPT, faulting what is not mapped"),
        (a, c) -> {
          VmSlot vm = c.vm(a);
          List<Integer> idx = indexes(a, vm);
          boolean write = a.bool("write", true);
          boolean accept = a.bool("accept", false);
          if (accept && c.world().vmType() != VmType.TDX) {
            throw a.error("accept", "accept is a TDX guest operation; vm.type is " + c.world().vmType().knob());
          }
          GmemEnv env = c.env(a);
          if (write && a.has("expect-data")) throw a.error("expect-data", "a store reads nothing back: give expect-data to a load (write = false)");
          if (!write && a.has("data")) throw a.error("data", "a load stores nothing: give data to a store (write = true)");
          int data = DataArgs.store(a, env.guestData());
          int expect = DataArgs.expected(a);
          int site = DataArgs.site(expect, a, c, "access");
          if (c.guestTlb() == null) throw a.error(null, "access is a guest operation: give it to an actor of kind vcpu");
          long kvm = Handles.of(vm.binding().kvm());
          List<SourcePath> out = new ArrayList<>();
          for (int i : idx) {
            long gfn = vm.binding().gfn(i);
            if (accept) out.add(c.kernel("guest_accept", kvm, gfn));
            out.add(c.kernel("guest_access", kvm, env.file(), gfn, write ? 1 : 0, data, expect, site));
          }
          return out;
        });
  }

  private static Op accept() {
    return new SimpleOp(
        spec("accept",
            List.of(Param.required("gfn", "first guest frame"), Param.optional("pages", "1", "frames from gfn"),
                Param.optional("stride", "1", "every stride-th frame")),
            "TDG.MEM.PAGE.ACCEPT (tdx_handle_ept_violation() for the fault it takes)",
            "a TD accepts each private frame (faulting it in first)"),
        (a, c) -> {
          VmSlot vm = c.vm(a);
          if (c.world().vmType() != VmType.TDX) {
            throw a.error(null, "accept is a TDX guest operation; vm.type is " + c.world().vmType().knob());
          }
          c.env(a);
          List<SourcePath> out = new ArrayList<>();
          for (int i : indexes(a, vm)) {
            out.add(c.kernel("guest_accept", Handles.of(vm.binding().kvm()), vm.binding().gfn(i)));
          }
          return out;
        });
  }

  private static Op gmemFault() {
    return new SimpleOp(
        spec("gmem-fault",
            List.of(Param.required("index", "file page index"), Param.optional("pages", "1", "pages from index")),
            "kvm_gmem_get_pfn()",
            "with no VM bound (the direct-map designs' workload): kvm_gmem_get_pfn() of each page and a guest store"
                + " under the reference it returns"),
        (a, c) -> {
          int index = a.count("index", 0, 0, 1 << 26);
          int pages = a.count("pages", 1, 1, 1 << 20);
          GmemEnv env = c.env(a);
          if (c.world().vm() != null) throw a.error(null, "the file is bound to a VM: use access (the fault goes through KVM's MMU)");
          if (index + pages > env.sizePages()) throw a.error("pages", "[" + index + ", " + (index + pages) + ") is beyond the file's " + env.sizePages() + " pages");
          List<SourcePath> out = new ArrayList<>();
          for (int i = index; i < index + pages; i++) out.add(c.kernel("guest_gmem_touch", env.file(), i, env.guestData()));
          return out;
        });
  }

  private static Op balloonRelease() {
    return new SimpleOp(
        spec("balloon-release",
            List.of(Param.required("index", "file page index"), Param.optional("scrub", "false", "zero the page first")),
            "virtio_balloon inflate (the guest side)",
            "the guest gives a page back through its balloon (the VMM's balloon-reclaim punches it)"),
        (a, c) -> {
          int index = a.count("index", 0, 0, 1 << 26);
          boolean scrub = a.bool("scrub", false);
          GmemEnv env = c.env(a);
          if (index >= env.sizePages()) throw a.error("index", index + " is beyond the file's " + env.sizePages() + " pages");
          if (c.world().balloon() < 0) throw a.error(null, "no balloon device");
          return List.of(c.kernel("guest_balloon_release", Handles.of(c.world().balloon()), index, scrub ? 1 : 0));
        });
  }
}
