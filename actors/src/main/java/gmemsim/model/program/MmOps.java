package gmemsim.model.program;

import gmemsim.model.exec.SourcePath;
import java.util.List;

/** The VMM's system calls on its own address space, beside its guest_memfd (mm/mmap.c, mm/util.c, mm/madvise.c). */
final class MmOps {
  private MmOps() {}

  static List<Op> all() {
    return List.of(mmapAnon(), madvise());
  }

  /** The advice a program may give, with upstream's values (include/uapi/asm-generic/mman-common.h). */
  static final List<String> ADVICE = List.of("dontneed", "hugepage", "collapse");
  private static final int[] ADVICE_VALUES = {4, 14, 25};

  private static Op madvise() {
    return new SimpleOp(
        new OpSpec("madvise", Domain.USERSPACE,
            List.of(Param.required("offset", "bytes"), Param.required("len", "bytes"), Param.required("advice", "one of " + ADVICE)),
            List.of("0", "EINVAL", "EBADF"), "do_madvise(), madvise_collapse(), file_thp_enabled()",
            "mmap() the file, then madvise() the mapping (MADV_DONTNEED, MADV_HUGEPAGE or MADV_COLLAPSE)"),
        (a, c) -> {
          long off = FileOps.notNegative(a, "offset");
          long len = FileOps.notNegative(a, "len");
          int advice = ADVICE_VALUES[ADVICE.indexOf(a.word("advice", null, ADVICE))];
          gmemsim.model.gmem.GmemEnv env = c.env(a);
          SourcePath p = c.kernel("vmm_madvise", c.mm(a), FileOps.fileArg(c, env), off, len, advice);
          return List.of(p);
        });
  }

  private static Op mmapAnon() {
    return new SimpleOp(
        new OpSpec("mmap-anon", Domain.USERSPACE, List.of(), List.of("0"), "vm_mmap_pgoff(): mmap_write_lock_killable(), do_mmap()",
            "mmap() of anonymous memory (a VMM thread's malloc() of a large block): the mm's mmap_lock for write"),
        (a, c) -> {
          SourcePath p = c.kernel("vmm_mmap_anon", c.mm(a));
          return List.of(p);
        });
  }
}
