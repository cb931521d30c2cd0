package gmemsim.oracle;

import gmemsim.model.Errno;
import gmemsim.model.Event;
import gmemsim.model.KernelEvents.AbiFailure;
import java.util.List;

/** {@code abi-failure}: a legitimate userspace sequence fails with a non-transient error. */
public final class AbiFailureOracle implements Oracle {
  public static final String NAME = "abi-failure";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof AbiFailure a) {
      sink.fire(
          NAME,
          a.actor() + ": " + a.operation() + " fails with " + Errno.name(a.errno()),
          List.of(a.actor()),
          List.of());
    }
  }
}
