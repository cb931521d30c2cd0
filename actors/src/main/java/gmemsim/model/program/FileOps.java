package gmemsim.model.program;

import static gmemsim.model.program.World.PAGE_SIZE;

import gmemsim.model.Errno;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.gmem.GmemEnv;
import gmemsim.model.kvm.VmType;
import java.util.ArrayList;
import java.util.List;

/**
 * The VMM's system calls on its guest_memfd. The argument rules come from upstream
 * virt/kvm/guest_memfd.c (torvalds/linux 01f492e1) and fs/open.c, and for write() from the posted
 * "add generic population via write" v7 (2025-11-14); see docs/ARCHITECTURE.md, "Program ABI".
 */
final class FileOps {
  /** The creation flags a program may name, in bit order (NO_DIRECT_MAP: the direct-map series). */
  static final List<String> FLAGS = List.of("mmap", "init-shared", "no-direct-map", "write", "unknown-bit");
  static final List<String> MODES =
      List.of("keep-size", "punch-hole", "zero-range", "collapse-range", "insert-range", "unshare-range", "unknown-bit");

  private FileOps() {}

  static List<Op> all() {
    return List.of(create(), fallocate(), write(), read(), mmapTouch(), close());
  }

  /** KVM_CREATE_GUEST_MEMFD's result for these arguments on a VM of this type (kvm_gmem_create()). */
  static int createResult(long size, List<String> flags, VmType vm) {
    for (String f : flags) {
      boolean ok = switch (f) {
        case "mmap" -> true;
        // kvm_arch_supports_gmem_init_shared(): x86 only for VMs without private memory.
        case "init-shared" -> !vm.privateMem();
        // The direct-map series: can_set_direct_map() and not a TDX/SNP VM.
        case "no-direct-map" -> vm != VmType.TDX;
        // The write() series: supported exactly when INIT_SHARED is.
        case "write" -> !vm.privateMem();
        default -> false;
      };
      if (!ok) return Errno.EINVAL;
    }
    if (size <= 0 || size % PAGE_SIZE != 0) return Errno.EINVAL;
    return 0;
  }

  private static OpSpec spec(String name, List<Param> params, List<String> results, String upstream, String d) {
    return new OpSpec(name, Domain.USERSPACE, params, results, upstream, d);
  }

  private static Op create() {
    return new SimpleOp(
        spec("create",
            List.of(Param.required("size", "bytes (a whole number of 4K pages)"),
                Param.optional("flags", "[]", "any of " + FLAGS)),
            List.of("0", "EINVAL"), "kvm_gmem_create() / __kvm_gmem_create()",
            "KVM_CREATE_GUEST_MEMFD on the VM (vm.type); the first that succeeds is the file the other operations use"),
        (a, c) -> {
          long size = a.number("size", null, true);
          List<String> flags = a.words("flags", List.of(), FLAGS);
          int r = createResult(size, flags, c.world().vmType());
          GmemFile made = c.world().file();
          if (r == 0 && (made == null || !made.madeBy().equals(a.call().path()))) {
            throw a.error(null, "a second guest_memfd: not modelled (one file per scenario; the first create that succeeds is it)");
          }
          return List.of(new ResultPath("kvm_gmem_create", r, r == 0
              ? "guest_memfd of " + size / PAGE_SIZE + " pages, flags " + flags
              : "flags " + flags + " or size " + size + " not supported on a " + c.world().vmType().knob() + " VM").call());
        });
  }

  /** Argument checks shared by the calls on the file: a closed fd is -EBADF. */
  private static ResultPath closedFd(ActorCtx c, String name) {
    return c.closed() ? new ResultPath(name, Errno.EBADF, "the program closed its guest_memfd") : null;
  }

  private static Op fallocate() {
    return new SimpleOp(
        spec("fallocate",
            List.of(Param.required("offset", "bytes"), Param.required("len", "bytes"),
                Param.optional("mode", "[keep-size]", "any of " + MODES)),
            List.of("0", "EINVAL", "EOPNOTSUPP", "EBADF", "ENOMEM", "EAGAIN"),
            "vfs_fallocate(), kvm_gmem_fallocate(), kvm_gmem_allocate() / kvm_gmem_punch_hole()",
            "allocate (keep-size) or PUNCH_HOLE (keep-size, punch-hole) a byte range"),
        (a, c) -> {
          long off = a.number("offset", null, true);
          long len = a.number("len", null, true);
          List<String> mode = a.words("mode", List.of("keep-size"), MODES);
          GmemEnv env = c.env(a);
          ResultPath bad = closedFd(c, "fallocate");
          if (bad != null) return List.of(bad.call());
          SourcePath p = c.kernel("vmm_fallocate", env.file(), modeBits(mode), off, len);
          return List.of(new Call(p, p::intResult));
        });
  }

  /** FALLOC_FL_* (include/uapi/linux/falloc.h), in the order of {@link #MODES}. */
  private static final long[] MODE_BITS = {0x01, 0x02, 0x10, 0x08, 0x20, 0x40, 0x100};

  private static long modeBits(List<String> mode) {
    long bits = 0;
    for (String m : mode) bits |= MODE_BITS[MODES.indexOf(m)];
    return bits;
  }

  private static Op write() {
    return new SimpleOp(
        spec("write",
            List.of(Param.required("offset", "bytes"), Param.required("len", "bytes")),
            List.of("0", "EINVAL", "ENODEV", "EEXIST", "EBADF", "ENOMEM"),
            "kvm_gmem_write() of the write() series v7, generic_perform_write()",
            "pwrite() of whole pages (the write() series; needs the write flag)"),
        (a, c) -> {
          long off = a.number("offset", null, true);
          long len = a.number("len", null, true);
          GmemEnv env = c.env(a);
          GmemFile f = c.file(a);
          ResultPath bad = closedFd(c, "write");
          if (bad != null) return List.of(bad.call());
          if (!f.has("write")) return List.of(new ResultPath("kvm_gmem_write", Errno.ENODEV, "the file was created without the write flag").call());
          if (off < 0 || len <= 0 || off % PAGE_SIZE != 0 || len % PAGE_SIZE != 0) {
            return List.of(new ResultPath("kvm_gmem_write", Errno.EINVAL, "position or length not page-aligned").call());
          }
          List<Call> out = new ArrayList<>();
          for (long p = off; p < off + len; p += PAGE_SIZE) {
            SourcePath w = c.kernel("vmm_pwrite_page", env.file(), p, env.guestData());
            out.add(new Call(w, w::intResult));
            // kvm_gmem_write_begin() refuses a page beyond i_size, and the call stops there.
            if (p / PAGE_SIZE >= env.sizePages()) break;
          }
          return out;
        });
  }

  private static Op read() {
    return new SimpleOp(
        spec("read", List.of(Param.optional("len", "4096", "bytes")), List.of("EINVAL", "EBADF"),
            "vfs_read(): guest_memfd has no read method",
            "read(): guest_memfd has no read method, upstream or in the write() series"),
        (a, c) -> {
          a.number("len", 4096L, true);
          c.file(a);
          ResultPath bad = closedFd(c, "read");
          if (bad != null) return List.of(bad.call());
          return List.of(new ResultPath("vfs_read", Errno.EINVAL, "no read_iter in kvm_gmem_fops").call());
        });
  }

  private static Op mmapTouch() {
    return new SimpleOp(
        spec("mmap-touch",
            List.of(Param.required("offset", "bytes"), Param.required("len", "bytes"),
                Param.optional("shared", "true", "MAP_SHARED (false: MAP_PRIVATE)")),
            List.of("0", "ENODEV", "EINVAL", "SIGBUS", "EBADF"),
            "kvm_gmem_mmap(), kvm_gmem_fault_user_mapping()",
            "mmap() the file, memcpy() into each page of the range (a fault per page), munmap()"),
        (a, c) -> {
          long off = a.number("offset", null, true);
          long len = a.number("len", null, true);
          boolean shared = a.bool("shared", true);
          GmemEnv env = c.env(a);
          GmemFile f = c.file(a);
          ResultPath bad = closedFd(c, "mmap");
          if (bad != null) return List.of(bad.call());
          if (!f.has("mmap")) return List.of(new ResultPath("kvm_gmem_mmap", Errno.ENODEV, "the file was created without the mmap flag").call());
          if (!shared) return List.of(new ResultPath("kvm_gmem_mmap", Errno.EINVAL, "a private (COW) mapping is refused").call());
          if (off < 0 || len <= 0 || off % PAGE_SIZE != 0) {
            return List.of(new ResultPath("mmap", Errno.EINVAL, "offset not page-aligned or length not positive").call());
          }
          List<Call> out = new ArrayList<>();
          for (long p = off; p < off + len; p += PAGE_SIZE) {
            SourcePath m = c.kernel("vmm_mmap_write_page", env.file(), p / PAGE_SIZE, env.guestData());
            // A positive result is VM_FAULT_SIGBUS: the memcpy() died of SIGBUS.
            out.add(new Call(m, () -> m.intResult() > 0 ? Errno.SIGBUS : m.intResult()));
            // kvm_gmem_fault_user_mapping() gives SIGBUS beyond i_size, and the call stops there.
            if (p / PAGE_SIZE >= env.sizePages()) break;
          }
          return out;
        });
  }

  private static Op close() {
    return new SimpleOp(
        spec("close", List.of(), List.of("0", "EBADF"), "__fput(), kvm_gmem_release()",
            "close() the guest_memfd; the last reference releases it (truncation, eviction)"),
        (a, c) -> {
          GmemEnv env = c.env(a);
          ResultPath bad = closedFd(c, "close");
          if (bad != null) return List.of(bad.call());
          c.close();
          // A task an oops killed still closes its files (do_exit()): the call runs at exit too.
          return List.of(new Call(c.kernelAtExit("vmm_close", env.file()), () -> 0));
        });
  }
}
