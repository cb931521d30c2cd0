package gmemsim.oracle;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Event;
import gmemsim.model.kvm.KvmEvents;
import java.util.List;

/**
 * {@code over-zap}: a private S-EPT leaf of a TD was removed while serving a userspace request,
 * and pages of it outside the requested range had been accepted by the guest: their contents are
 * gone and the guest's next access to memory it still owns raises a #VE (race 8).
 */
public final class OverZapOracle implements Oracle {
  public static final String NAME = "over-zap";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(KvmEvents.SeptLeafRemoved.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof KvmEvents.SeptLeafRemoved z && z.acceptedOutside() > 0) {
      sink.fire(
          NAME,
          z.actor() + " removes the " + (z.nr() * 4) + "K private leaf at gfn " + hex(z.gfn()) + " for a request on "
              + "[" + hex(z.userStart()) + ", " + hex(z.userEnd()) + ")" + ": " + z.acceptedOutside()
              + " accepted pages outside that range lose their contents",
          List.of(z.actor()),
          List.of(hex(z.gfn())));
    }
  }
}
