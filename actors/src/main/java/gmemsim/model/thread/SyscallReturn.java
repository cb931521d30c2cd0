package gmemsim.model.thread;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.KernelEvents;
import java.util.Set;

/**
 * The return to userspace of one system call of a scenario's program, and the program's check of
 * what it returned. With {@code expect} the result must be one of the expected ones; without it the
 * call must succeed, or fail only transiently (-ENOMEM under allocation-failure injection, -EAGAIN
 * after the caller's own retries, -EHWPOISON on a poisoned page). Anything else is an
 * {@code abi-failure} naming the operation as written (file and line), what it had to return and
 * what it returned. The kernel side is the kernel source the call's path runs; this adds no step.
 */
public final class SyscallReturn {
  private static final Set<Integer> TRANSIENT = Set.of(Errno.ENOMEM, Errno.EAGAIN, Errno.EHWPOISON);

  private final String name;
  private final String written;
  private final Task task;
  /** null: success (or a transient error) expected. */
  private final Set<Integer> expected;
  /** close(): a task an oops killed still closes its files, in do_exit()'s exit_files(). */
  private final boolean atExit;
  /**
   * The call is the program's own access to a mapping: its path returns VM_FAULT_SIGBUS (a
   * positive value) when the fault it took failed, and the program sees SIGBUS, not a return.
   */
  private final boolean sigbus;

  /**
   * @param written the operation as the scenario writes it, with its file and line
   * @param expected the results allowed, or null for "must succeed"
   * @param atExit the call also happens when an oops killed the task (its exit does it)
   * @param sigbus a positive result is VM_FAULT_SIGBUS: the program died of SIGBUS
   */
  public SyscallReturn(String name, String written, Task task, Set<Integer> expected, boolean atExit, boolean sigbus) {
    this.name = name;
    this.written = written;
    this.task = task;
    this.expected = expected == null ? null : Set.copyOf(expected);
    this.atExit = atExit;
    this.sigbus = sigbus;
  }

  /** Whether the call happens at all: not once an oops killed the task, unless its exit makes it. */
  public boolean enter(Ctx ctx) {
    if (!task.dead()) return true;
    if (!atExit) return false;
    if (ctx.tracing()) ctx.note("the task died: do_exit() closes its files (exit_files())");
    return true;
  }

  /** The call returned result to the program; a task an oops killed never sees it (the oops has its own report). */
  public void returned(long value, Ctx ctx) {
    if (task.dead()) return;
    int result = sigbus && value > 0 ? Errno.SIGBUS : (int) value;
    boolean ok = expected == null ? result == 0 || TRANSIENT.contains(result) : expected.contains(result);
    if (ctx.tracing()) ctx.note(name + " returns " + Errno.name(result) + (ok ? "" : ", expected " + expectedText()));
    if (!ok) {
      if (expected == null) ctx.emit(new KernelEvents.AbiFailure(task.name(), written, result));
      else ctx.emit(new KernelEvents.UnexpectedResult(task.name(), written, expectedText(), result));
    }
  }

  private String expectedText() {
    if (expected == null) return "0";
    return String.join(" or ", expected.stream().sorted((a, b) -> Integer.compare(b, a)).map(Errno::name).toList());
  }
}
