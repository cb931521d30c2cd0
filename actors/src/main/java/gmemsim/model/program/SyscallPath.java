package gmemsim.model.program;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.KernelEvents;
import gmemsim.model.thread.Path;
import gmemsim.model.thread.Task;
import gmemsim.model.thread.ThreadProtocol.Ret;
import java.util.List;
import java.util.Set;

/**
 * One operation of an actor's program, as userspace sees it: runs its kernel paths in order, stops
 * at the first error, and checks the result. With {@code expect} the result must be one of the
 * expected ones; without it the call must succeed, or fail only transiently (-ENOMEM under
 * allocation-failure injection, -EAGAIN after the path's own retries, -EHWPOISON on a poisoned
 * page). Anything else is an {@code abi-failure} naming the operation as written (file and line),
 * what it had to return and what it returned. It is no kernel function: it adds no step of its
 * own, and while a kernel path runs every question about the step in flight goes to that path.
 */
public final class SyscallPath implements Path {
  private static final Set<Integer> TRANSIENT = Set.of(Errno.ENOMEM, Errno.EAGAIN, Errno.EHWPOISON);

  private final String name;
  private final String written;
  private final Task task;
  private final List<Call> calls;
  /** null: success (or a transient error) expected. */
  private final Set<Integer> expected;
  /** close(): a task an oops killed still closes its files, in do_exit()'s exit_files(). */
  private final boolean atExit;
  private int next;
  private int result;
  /** The kernel path running now (null between them). */
  private Path callee;

  /**
   * @param written the operation as the scenario writes it, with its file and line
   * @param expected the results allowed, or null for "must succeed"
   * @param atExit the call also happens when an oops killed the task (its exit does it)
   */
  public SyscallPath(String name, String written, Task task, List<Call> calls, Set<Integer> expected, boolean atExit) {
    this.atExit = atExit;
    this.name = name;
    this.written = written;
    this.task = task;
    this.calls = List.copyOf(calls);
    this.expected = expected == null ? null : Set.copyOf(expected);
  }

  public int result() {
    return result;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean start(Ctx ctx) {
    next = 0;
    result = 0;
    callee = null;
    if (task.dead()) {
      if (!atExit) return true;
      if (ctx.tracing()) ctx.note("the task died: do_exit() closes its files (exit_files())");
    } else {
      task.checked(true);
    }
    return runFrom(ctx);
  }

  @Override
  public boolean onReply(Ret r, Ctx ctx) {
    if (!callee.onReply(r, ctx)) return false;
    callee = null;
    return returned(ctx) || runFrom(ctx);
  }

  /** Starts the calls from {@link #next} on until one waits for a reply; true when the operation is done. */
  private boolean runFrom(Ctx ctx) {
    while (next < calls.size()) {
      Path p = calls.get(next).path();
      if (!p.start(ctx)) {
        callee = p;
        return false;
      }
      if (returned(ctx)) return true;
    }
    return finish(ctx);
  }

  /** The call at {@link #next} returned: true when its error ends the operation (then checked). */
  private boolean returned(Ctx ctx) {
    result = calls.get(next).result().getAsInt();
    next++;
    if (result != 0) return finish(ctx);
    if (next < calls.size()) return false;
    return finish(ctx);
  }

  private boolean finish(Ctx ctx) {
    task.checked(false);
    // An oops killed the task: it never sees a result (the oops has its own report).
    if (task.dead()) return true;
    boolean ok = expected == null ? result == 0 || TRANSIENT.contains(result) : expected.contains(result);
    if (ctx.tracing()) ctx.note(name + " returns " + Errno.name(result) + (ok ? "" : ", expected " + expectedText()));
    if (!ok) {
      if (expected == null) ctx.emit(new KernelEvents.AbiFailure(task.name(), written, result));
      else ctx.emit(new KernelEvents.UnexpectedResult(task.name(), written, expectedText(), result));
    }
    return true;
  }

  private String expectedText() {
    if (expected == null) return "0";
    return String.join(" or ", expected.stream().sorted((a, b) -> Integer.compare(b, a)).map(Errno::name).toList());
  }

  @Override
  public String where() {
    String here = name + " call " + next + " of " + calls.size();
    return callee == null ? here : here + " > " + callee.name() + " " + callee.where();
  }

  @Override
  public boolean inInstruction() {
    return callee != null && callee.inInstruction();
  }

  @Override
  public boolean replyEndsInstruction(Ret r) {
    return callee == null || callee.replyEndsInstruction(r);
  }

  @Override
  public boolean interruptible() {
    return callee == null || callee.interruptible();
  }
}
