package gmemsim.oracle;

import gmemsim.model.Errno;
import gmemsim.model.Event;
import gmemsim.model.KernelEvents;
import gmemsim.model.KernelEvents.AbiFailure;
import java.util.List;

/**
 * {@code abi-failure}: a legitimate userspace sequence fails with a non-transient error, or a
 * system call of a scenario's program returns other than its {@code expect}.
 */
public final class AbiFailureOracle implements Oracle {
  public static final String NAME = "abi-failure";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(AbiFailure.class, KernelEvents.UnexpectedResult.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof AbiFailure a) {
      sink.fire(
          NAME,
          a.actor() + ": " + a.operation() + " fails with " + Errno.name(a.errno()),
          List.of(a.actor()),
          List.of());
    } else if (e instanceof KernelEvents.UnexpectedResult u) {
      sink.fire(
          NAME,
          u.actor() + ": " + u.operation() + " returned " + Errno.name(u.actual()) + ", expected " + u.expected(),
          List.of(u.actor()),
          List.of());
    }
  }
}
