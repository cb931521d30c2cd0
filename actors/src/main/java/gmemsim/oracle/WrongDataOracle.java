package gmemsim.oracle;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Event;
import gmemsim.model.KernelEvents.UnexpectedData;
import java.util.List;

/**
 * {@code wrong-data}: a program read back data other than what it said it must read
 * ({@code expect-data}): a store that vanished, a punched page that is not zeros, another
 * writer's data. The reader's expectation is the specification, so this oracle only reports it.
 */
public final class WrongDataOracle implements Oracle {
  public static final String NAME = "wrong-data";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(UnexpectedData.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof UnexpectedData u) {
      String page = hex(u.pfn());
      sink.fire(NAME, u.actor() + ": " + u.operation() + " read " + u.actual() + " in pfn " + page + ", expected " + u.expected(),
          List.of(u.actor()), List.of(page));
    }
  }
}
