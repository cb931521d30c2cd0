package gmemsim.model.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.Errno;
import gmemsim.model.FakeCtx;
import gmemsim.model.KernelEvents;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the program sees of a system call's return, and what it reports. */
class SyscallReturnTest {
  private static SyscallReturn ret(Task t, Set<Integer> expected, boolean atExit, boolean sigbus) {
    return new SyscallReturn("fallocate", "fallocate (x.conf:3)", t, expected, atExit, sigbus);
  }

  @Test
  void withoutExpectASuccessOrATransientErrorPassesAndAnyOtherIsAnAbiFailure() {
    FakeCtx ctx = new FakeCtx();
    SyscallReturn r = ret(new Task("vmm"), null, false, false);
    r.returned(0, ctx);
    r.returned(Errno.ENOMEM, ctx);
    r.returned(Errno.EAGAIN, ctx);
    assertTrue(ctx.events.isEmpty(), ctx.events.toString());
    r.returned(Errno.EINVAL, ctx);
    assertEquals(List.of(new KernelEvents.AbiFailure("vmm", "fallocate (x.conf:3)", Errno.EINVAL)), ctx.events);
    assertEquals("fallocate returns -EINVAL, expected 0", ctx.notes.get(ctx.notes.size() - 1));
  }

  @Test
  void anExpectedResultPassesAndAnotherIsAnUnexpectedResult() {
    FakeCtx ctx = new FakeCtx();
    SyscallReturn r = ret(new Task("vmm"), Set.of(Errno.EINVAL, 0), false, false);
    r.returned(Errno.EINVAL, ctx);
    assertTrue(ctx.events.isEmpty());
    r.returned(Errno.ENOMEM, ctx);
    assertEquals(List.of(new KernelEvents.UnexpectedResult("vmm", "fallocate (x.conf:3)", "0 or -EINVAL", Errno.ENOMEM)), ctx.events);
  }

  @Test
  void aPositiveReturnOfAnAccessThroughAMappingIsSigbusToTheProgram() {
    FakeCtx ctx = new FakeCtx();
    ret(new Task("vmm"), Set.of(Errno.SIGBUS), false, true).returned(2, ctx);
    assertTrue(ctx.events.isEmpty(), ctx.events.toString());
    ret(new Task("vmm"), Set.of(Errno.SIGBUS), false, false).returned(2, ctx);
    assertEquals(1, ctx.events.size(), "without sigbus a positive return is only itself");
  }

  @Test
  void aKilledTaskMakesOnlyItsExitCallsAndSeesNoResult() {
    FakeCtx ctx = new FakeCtx();
    Task t = new Task("vmm");
    t.kill();
    assertFalse(ret(t, null, false, false).enter(ctx));
    assertTrue(ret(t, null, true, false).enter(ctx));
    assertEquals(List.of("the task died: do_exit() closes its files (exit_files())"), ctx.notes);
    ret(t, null, true, false).returned(Errno.EINVAL, ctx);
    assertTrue(ctx.events.isEmpty(), "the oops has its own report");
  }
}
