package gmemsim.model.program;

import static gmemsim.model.program.World.PAGE_SIZE;

import gmemsim.model.Errno;
import gmemsim.model.exec.NoStepCall;
import gmemsim.model.exec.SourcePath;
import gmemsim.model.gmem.GmemEnv;
import gmemsim.scenario.program.OpArgs;
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
    return List.of(create(), fallocate(), write(), read(), mmapTouch(), mmapRead(), fstat(), close());
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
          NoStepCall.Result r = ArgumentChecks.create(c.world().scenario(), c.world().vmType(), size, flags);
          return List.of(c.kernel("vmm_decided", r.value()).noting(r.value() == 0
              ? "kvm_gmem_create() returns 0: guest_memfd of " + size / PAGE_SIZE + " pages, flags " + flags : r.errorAt()));
        });
  }

  /** The struct file of the guest_memfd for a call on it: NULL once the program closed it (fdget() finds none). */
  static long fileArg(ActorCtx c, GmemEnv env) {
    return c.closed() ? 0 : env.file();
  }

  /** Refused at load: a length or offset that is no size_t or unsigned offset. */
  static long notNegative(OpArgs a, String key) {
    long v = a.number(key, null, true);
    if (v < 0) throw a.error(key, v + ": negative (the system call takes an unsigned " + key + ")");
    return v;
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
          SourcePath p = c.kernel("vmm_fallocate", fileArg(c, env), modeBits(mode), off, len);
          return List.of(p);
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
            List.of(Param.required("offset", "bytes"), Param.required("len", "bytes"), DataArgs.DATA),
            List.of("0", "EINVAL", "ENODEV", "EEXIST", "EBADF", "ENOMEM"),
            "kvm_gmem_write() of the write() series v7, generic_perform_write()",
            "pwrite() of whole pages (the write() series; needs the write flag)"),
        (a, c) -> {
          long off = a.number("offset", null, true);
          long len = notNegative(a, "len");
          GmemEnv env = c.env(a);
          SourcePath w = c.kernel("vmm_pwrite", fileArg(c, env), off, len, DataArgs.store(a, env.guestData()));
          return List.of(w);
        });
  }

  private static Op read() {
    return new SimpleOp(
        spec("read", List.of(Param.optional("len", "4096", "bytes"), Param.optional("offset", "none", "bytes: pread() at"
                + " this position (none: read())")), List.of("EINVAL", "EBADF", "ESPIPE"),
            "vfs_read(), ksys_pread64(): guest_memfd has no read method and no FMODE_PREAD",
            "read() or pread(): guest_memfd has no read method, upstream or in the write() series"),
        (a, c) -> {
          long len = a.number("len", 4096L, true);
          GmemEnv env = c.env(a);
          SourcePath r = a.has("offset") ? c.kernel("ksys_pread64", fileArg(c, env), len, a.number("offset", null, true))
              : c.kernel("ksys_read", fileArg(c, env), len);
          return List.of(r);
        });
  }

  private static Op mmapTouch() {
    return mmapOp("mmap-touch", DataArgs.DATA, "mmap() the file, memcpy() into each page of the range (a fault per page), munmap()",
        (a, c, m) -> c.kernel("vmm_mmap_touch", c.mm(a), m.file(), m.off(), m.len(), m.shared(), DataArgs.store(a, m.env().guestData())));
  }

  private static Op mmapRead() {
    return mmapOp("mmap-read", DataArgs.EXPECT,
        "mmap() the file, read each page of the range (a fault per page), munmap(); expect-data checks what it read",
        (a, c, m) -> {
          int expect = DataArgs.expected(a);
          return c.kernel("vmm_mmap_read", c.mm(a), m.file(), m.off(), m.len(), m.shared(), expect, DataArgs.site(expect, a, c, "mmap-read"));
        });
  }

  /** An mmap()ed range as the VMM's call names it. */
  private record Mapping(GmemEnv env, long file, long off, long len, long shared) {}

  private interface MappingCall {
    SourcePath kernel(OpArgs a, ActorCtx c, Mapping m);
  }

  /**
   * An operation that maps the file, accesses each page of a range and unmaps it. A positive
   * result of its kernel path is VM_FAULT_SIGBUS: the access died of SIGBUS (the result SIGBUS,
   * {@link gmemsim.model.thread.SyscallReturn}).
   */
  private static Op mmapOp(String name, Param access, String description, MappingCall call) {
    return new SimpleOp(
        spec(name,
            List.of(Param.required("offset", "bytes"), Param.required("len", "bytes"),
                Param.optional("shared", "true", "MAP_SHARED (false: MAP_PRIVATE)"), access),
            List.of("0", "ENODEV", "EINVAL", "SIGBUS", "EBADF"), "kvm_gmem_mmap(), kvm_gmem_fault_user_mapping()", description),
        (a, c) -> {
          long off = notNegative(a, "offset");
          long len = notNegative(a, "len");
          boolean shared = a.bool("shared", true);
          GmemEnv env = c.env(a);
          SourcePath m = call.kernel(a, c, new Mapping(env, fileArg(c, env), off, len, shared ? 1 : 0));
          return List.of(m);
        });
  }

  private static Op fstat() {
    return new SimpleOp(
        spec("fstat",
            List.of(Param.optional("expect-size", "none", "st_size the call must report, bytes"),
                Param.optional("expect-blksize", "none", "st_blksize the call must report, bytes")),
            List.of("0", "EBADF"), "vfs_fstat(), generic_fillattr()",
            "fstat() the guest_memfd; expect-size and expect-blksize check what it reports (abi-failure otherwise)"),
        (a, c) -> {
          long size = a.has("expect-size") ? notNegative(a, "expect-size") : -1;
          long blksize = a.has("expect-blksize") ? notNegative(a, "expect-blksize") : -1;
          int siteSize = DataArgs.site(size, a, c, "fstat st_size");
          int siteBlksize = DataArgs.site(blksize, a, c, "fstat st_blksize");
          GmemEnv env = c.env(a);
          SourcePath p = c.kernel("vmm_fstat", fileArg(c, env), size, blksize, siteSize, siteBlksize);
          return List.of(p);
        });
  }

  private static Op close() {
    return new SimpleOp(
        spec("close", List.of(), List.of("0", "EBADF"), "__fput(), kvm_gmem_release()",
            "close() the guest_memfd; the last reference releases it (truncation, eviction)"),
        (a, c) -> {
          GmemEnv env = c.env(a);
          if (c.closed()) {
            SourcePath p = c.kernel("vmm_close", 0);
            return List.of(p);
          }
          // The programs do not change between runs: checked once per scenario.
          c.world().scenario().memo(new CallMemo("fd calls beside the close", a.call()), () -> {
            refuseFdCallsBeside(a, c);
            return Boolean.TRUE;
          });
          c.close();
          // A task an oops killed still closes its files (do_exit()): the call runs at exit too.
          return List.of(c.kernelAtExit("vmm_close", env.file()));
        });
  }

  /** The program's calls that reach the guest_memfd through its fd. */
  private static final java.util.Set<String> FILE_USERS =
      java.util.Set.of("fallocate", "write", "read", "mmap-touch", "mmap-read", "fstat", "close", "balloon-reclaim");

  /**
   * Another actor's call on the fd must end before this close: the closer waits, ahead of the
   * close, on a futex the other actor wakes after its last such call. Upstream, a thread's
   * syscall holds a reference from fdget() while the fd table is shared, so a close in another
   * thread cannot free the file under it; the model takes none, so a call that could overlap the
   * close would reach a freed file, which upstream cannot.
   */
  private static void refuseFdCallsBeside(OpArgs a, ActorCtx c) {
    java.util.List<gmemsim.scenario.program.ActorDecl> actors =
        c.world().scenario().programs(gmemsim.scenario.Knobs.ACTORS).actors();
    java.util.Set<String> waited = new java.util.HashSet<>();
    for (gmemsim.scenario.program.ActorDecl d : actors) {
      if (!d.name().equals(c.name())) continue;
      for (gmemsim.scenario.program.OpCall o : d.program()) {
        if (o == a.call()) break;
        if (o.op().equals("wait")) waited.add(new OpArgs(o).word("futex", null, List.of()));
      }
    }
    for (gmemsim.scenario.program.ActorDecl d : actors) {
      if (d.name().equals(c.name())) continue;
      gmemsim.scenario.program.OpCall lastCall = null;
      boolean wokenAfter = false;
      for (gmemsim.scenario.program.OpCall o : d.program()) {
        if (FILE_USERS.contains(o.op())) {
          lastCall = o;
          wokenAfter = false;
        } else if (o.op().equals("wake") && waited.contains(new OpArgs(o).word("futex", null, List.of()))) {
          wokenAfter = true;
        }
      }
      if (lastCall != null && !wokenAfter) {
        throw a.error(null, "not modelled: " + lastCall.op() + " at " + lastCall.at() + " in " + d.name()
            + " may overlap this close of the guest_memfd: the model takes no reference on the file for it (upstream's"
            + " fdget() takes one while the VMM's threads share the fd table); order them: wait here on a futex "
            + d.name() + " wakes after it");
      }
    }
  }
}
