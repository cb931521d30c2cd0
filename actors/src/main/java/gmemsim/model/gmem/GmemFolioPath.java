package gmemsim.model.gmem;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Ctx;
import gmemsim.model.Errno;
import gmemsim.model.KernelEvents;
import gmemsim.model.mm.MemoryProtocol;
import gmemsim.model.thread.PcPath;

/**
 * What the system calls and faults on one guest_memfd index share: they start with
 * kvm_gmem_get_folio(), talk to the memory component of that folio, and when they fail with
 * -ENOMEM userspace (or the fault handler) simply tries again, up to {@link #ATTEMPTS} times; any
 * other error is one userspace cannot cure, reported as an ABI failure. A dead task (killed by an
 * oops) makes no more calls.
 *
 * @param <P> the subclass's program counter
 */
abstract class GmemFolioPath<P extends Enum<P>> extends PcPath<P> {
  static final int ATTEMPTS = 3;

  protected final GmemEnv env;
  protected final Task task;
  protected final int index;
  private final P getFolio;
  private final P done;
  protected int err;
  /** What the call returned in the end: 0 or the error that ended it. */
  private int result;
  protected KvmGmemGetFolioPath get;
  private int attempt;

  GmemFolioPath(GmemEnv env, Task task, int index, P getFolio, P done) {
    this.env = env;
    this.task = task;
    this.index = index;
    this.getFolio = getFolio;
    this.done = done;
  }

  /** What userspace sees failing, for ABI-failure reports. */
  protected abstract String operation();

  @Override
  protected final boolean begin(Ctx ctx) {
    attempt = 0;
    return attempt(ctx);
  }

  /** 0, or the error userspace saw (after the retries of a transient one). */
  public final int syscallResult() {
    return result;
  }

  private boolean attempt(Ctx ctx) {
    result = 0;
    if (task.dead()) return done();
    attempt++;
    err = 0;
    pc = getFolio;
    get = new KvmGmemGetFolioPath(env, index);
    return call(get, ctx);
  }

  protected final int folio() {
    return get.folio;
  }

  /** The page at this index inside its folio. */
  protected final int pfn() {
    return get.folio + (index & ((1 << get.order) - 1));
  }

  protected final boolean mem(Ctx ctx, P next, MemoryProtocol.Request r) {
    return request(ctx, next, env.memoryFor(folio()), r);
  }

  protected final boolean done() {
    pc = done;
    return true;
  }

  /** The call failed with e: try again if it is transient, else report it. */
  protected final boolean failed(int e, Ctx ctx) {
    if (ctx.tracing()) ctx.note(operation() + " fails: " + Errno.name(e));
    if (e == Errno.ENOMEM && attempt < ATTEMPTS) return attempt(ctx);
    result = e;
    if (e != Errno.ENOMEM && e != Errno.EHWPOISON && !task.checked()) {
      ctx.emit(new KernelEvents.AbiFailure(task.name(), operation(), e));
    }
    return done();
  }

  @Override
  protected final String here() {
    return pc + " index " + index + (get != null && get.folio > 0 ? " folio " + hex(get.folio) : "");
  }
}
