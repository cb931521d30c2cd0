package gmemsim.oracle;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Event;
import gmemsim.model.mm.MmEvents.RefLeftover;
import gmemsim.model.mm.MmEvents.RefPut;
import gmemsim.model.mm.MmEvents.RefUnfreeze;
import java.util.List;

/**
 * {@code refcount-error}: a refcount underflow, a put of a reference the putter never took
 * (it drops someone else's), an unfreeze to a count other than what was frozen, or references
 * left over once everything was torn down.
 */
public final class RefcountErrorOracle implements Oracle {
  public static final String NAME = "refcount-error";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(RefPut.class, RefUnfreeze.class, RefLeftover.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof RefPut p) {
      if (p.countBefore() <= 0) {
        sink.fire(
            NAME,
            p.actor() + ": folio_put on " + hex(p.folio()) + " with refcount " + p.countBefore()
                + ": underflow",
            List.of(p.actor()),
            List.of(hex(p.folio())));
      } else if (!p.held()) {
        sink.fire(
            NAME,
            p.actor() + " drops a reference on " + hex(p.folio()) + " it never took"
                + " (it takes one of the holders' references)",
            List.of(p.actor()),
            List.of(hex(p.folio())));
      }
    } else if (e instanceof RefUnfreeze u && u.frozenRefs() >= 0 && u.frozenRefs() != u.count()) {
      sink.fire(
          NAME,
          u.actor() + " unfreezes " + hex(u.folio()) + " to " + u.count() + " but "
              + u.frozenRefs() + " references were frozen",
          List.of(u.actor()),
          List.of(hex(u.folio())));
    } else if (e instanceof RefLeftover l) {
      sink.fire(
          NAME,
          "folio " + hex(l.folio()) + " (order " + l.order() + ") still has refcount "
              + l.refcount() + " after teardown; ledger holders " + grouped(l.holders()),
          l.holders(),
          List.of(hex(l.folio())));
    }
  }

  /** "gmem0 x512, cpu1": one entry per holder, in first-seen order, with its count. */
  static String grouped(List<String> holders) {
    java.util.Map<String, Integer> n = new java.util.LinkedHashMap<>();
    for (String h : holders) n.merge(h, 1, Integer::sum);
    StringBuilder b = new StringBuilder("[");
    for (var e : n.entrySet()) {
      if (b.length() > 1) b.append(", ");
      b.append(e.getKey());
      if (e.getValue() > 1) b.append(" x").append(e.getValue());
    }
    return b.append(']').toString();
  }
}
