package gmemsim.model.prim;

import gmemsim.model.Component;
import gmemsim.model.Ctx;
import gmemsim.model.Msg;

/**
 * A component whose only messages are the steps of its primitives: every step it gets runs the
 * {@link Primitive} method it names. Anything else is a routing bug, named with the component.
 */
public interface StateOwner extends Component {
  @Override
  default void onMessage(Msg m, Ctx ctx) {
    if (!(m instanceof Step s)) throw new IllegalArgumentException(name() + " cannot handle " + m.step());
    Primitives.handle(this, s, ctx);
  }

  /** The end-of-run check every owner of sleeping locks makes: a lock still held is reported. */
  @Override
  default void onQuiescence(Ctx ctx) {
    if (this instanceof LockOwner l) l.reportHeldLocks(name(), ctx);
  }
}
