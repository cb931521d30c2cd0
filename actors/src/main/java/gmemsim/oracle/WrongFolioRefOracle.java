package gmemsim.oracle;

import static gmemsim.model.Describe.hex;

import gmemsim.model.Event;
import gmemsim.model.mm.MmEvents.PageAccess;
import java.util.List;

/**
 * {@code wrong-folio-ref}: a path uses page P believing its reference pins P, but the folio it
 * holds the reference on no longer contains P (kernel-model §1: a reference on f pins only the
 * pages f contains now).
 */
public final class WrongFolioRefOracle implements Oracle {
  public static final String NAME = "wrong-folio-ref";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Class<? extends Event>> reads() {
    return List.of(PageAccess.class);
  }

  @Override
  public void onEvent(Event e, Sink sink) {
    if (e instanceof PageAccess a && a.claimedFolio() != a.actualFolio()) {
      String how = a.actor() + (a.write() ? " writes" : " reads") + " pfn " + hex(a.pfn());
      String why = a.claimedFolio() == 0
          ? " holding no reference at all (page_folio(" + hex(a.pfn()) + ") is " + hex(a.actualFolio()) + ")"
          : " under its reference on folio " + hex(a.claimedFolio()) + ", but page_folio(" + hex(a.pfn()) + ") is now "
              + hex(a.actualFolio()) + ": the reference does not pin the page";
      sink.fire(
          NAME,
          how + why,
          List.of(a.actor()),
          List.of(hex(a.pfn()), hex(a.claimedFolio())));
    }
  }
}
