package gmemsim.model.program;

import gmemsim.model.prim.Handles;
import java.util.List;

/** Hand-offs between programs: a futex word that is posted once and wakes every waiter. */
final class SyncOps {
  private SyncOps() {}

  static List<Op> all() {
    return List.of(
        new SimpleOp(
            new OpSpec("wait", Domain.SYNC, List.of(Param.required("futex", "a name; the first use creates it")), List.of(),
                "futex(FUTEX_WAIT)", "sleep until the futex is posted (at once if it already was)"),
            (a, c) -> List.of(c.kernel("program_wait", Handles.of(c.world().futexes().get(a.word("futex", null, List.of())))))),
        new SimpleOp(
            new OpSpec("wake", Domain.SYNC,
                List.of(Param.required("futex", "a name"),
                    Param.optional("on-exit", "false", "the thread's exit does it (CLONE_CHILD_CLEARTID): even after an oops killed it")),
                List.of(), "futex(FUTEX_WAKE)", "post the futex and wake every waiter"),
            (a, c) -> {
              long f = Handles.of(c.world().futexes().get(a.word("futex", null, List.of())));
              // CLONE_CHILD_CLEARTID: the thread's exit posts it, even after an oops killed the thread
              return List.of(a.bool("on-exit", false) ? c.kernelAtExit("program_post", f) : c.kernel("program_post", f));
            }));
  }
}
