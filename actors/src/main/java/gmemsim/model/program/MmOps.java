package gmemsim.model.program;

import gmemsim.model.exec.SourcePath;
import java.util.List;

/** The VMM's system calls on its own address space, beside its guest_memfd (mm/mmap.c, mm/util.c). */
final class MmOps {
  private MmOps() {}

  static List<Op> all() {
    return List.of(mmapAnon());
  }

  private static Op mmapAnon() {
    return new SimpleOp(
        new OpSpec("mmap-anon", Domain.USERSPACE, List.of(), List.of("0"), "vm_mmap_pgoff(): mmap_write_lock_killable(), do_mmap()",
            "mmap() of anonymous memory (a VMM thread's malloc() of a large block): the mm's mmap_lock for write"),
        (a, c) -> {
          SourcePath p = c.kernel("vmm_mmap_anon", c.mm(a));
          return List.of(new Call(p, p::intResult));
        });
  }
}
