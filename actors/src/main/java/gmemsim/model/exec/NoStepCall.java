package gmemsim.model.exec;

import gmemsim.lang.Program;
import gmemsim.model.Ctx;
import gmemsim.model.Event;
import gmemsim.model.Msg;
import gmemsim.model.prim.Handles;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A kernel function that makes no step, run before the machine exists: the argument checks of
 * KVM_CREATE_GUEST_MEMFD and KVM_SET_USER_MEMORY_REGION2, whose results decide whether the file
 * and the memslot exist at all, and so which components the machine has. The objects they read
 * (the VM, the file, an existing memslot) are made here with their fixed fields. A primitive
 * call would be a step on an owner that does not exist yet: it is refused.
 */
public final class NoStepCall {
  /** What the function returned, and where an error it returned came from (or {@code null}). */
  public record Result(long value, String errorAt) {}

  private final KernelEnv env;
  private int objects;

  public NoStepCall(Program program) {
    this.env = new KernelEnv(program, null, List.of());
  }

  /** A new object; returns its handle, to give fixed fields with {@link #field} and pass as an argument. */
  public long object() {
    return Handles.of(objects++);
  }

  /** Sets a fixed field of the object h names. */
  public NoStepCall field(long h, String struct, String path, long value) {
    env.field(Handles.component(h), struct, path, value);
    return this;
  }

  public Result run(String fn, long... args) {
    SourcePath p = new SourcePath(env, fn, args);
    Checks ctx = new Checks(fn);
    if (!p.start(ctx)) throw new IllegalStateException(fn + "() waits for a step: not an argument check");
    return new Result(p.result(), p.result() < 0 ? ctx.errorAt : null);
  }

  /** Answers nothing: the function may read fixed fields and compute, and say where its error came from. */
  private static final class Checks implements Ctx {
    private final String fn;
    private String errorAt;

    Checks(String fn) {
      this.fn = fn;
    }

    @Override
    public int self() {
      return 0;
    }

    @Override
    public int sender() {
      return 0;
    }

    @Override
    public String name(int component) {
      return fn;
    }

    @Override
    public void send(int to, Msg m) {
      throw new IllegalStateException(fn + "() makes a step before the machine exists: its checks must read only"
          + " arguments and fixed fields");
    }

    @Override
    public RandomGenerator rng() {
      return new SplittableRandom(0);
    }

    @Override
    public void emit(Event e) {
      throw new IllegalStateException(fn + "() reports " + e + " before the machine exists");
    }

    @Override
    public boolean tracing() {
      return true;
    }

    @Override
    public void note(String change) {
      errorAt = change;
    }
  }
}
