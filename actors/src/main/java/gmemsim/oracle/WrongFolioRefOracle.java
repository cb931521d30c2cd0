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
  public void onEvent(Event e, Sink sink) {
    if (e instanceof PageAccess a && a.claimedFolio() != a.actualFolio()) {
      sink.fire(
          NAME,
          a.actor()
              + (a.write() ? " writes" : " reads")
              + " pfn "
              + hex(a.pfn())
              + " under its reference on folio "
              + hex(a.claimedFolio())
              + ", but page_folio("
              + hex(a.pfn())
              + ") is now "
              + hex(a.actualFolio())
              + ": the reference does not pin the page",
          List.of(a.actor()),
          List.of(hex(a.pfn()), hex(a.claimedFolio())));
    }
  }
}
