package gmemsim.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gmemsim.model.mm.MmEvents.PageAccess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two oracles of a page access under a reference, on the facts alone. */
class PageAccessOracleTest {
  private static List<String> fired(Oracle o, PageAccess a) {
    List<String> out = new ArrayList<>();
    o.onEvent(a, (oracle, message, actors, objects) -> out.add(message));
    return out;
  }

  private static final int TAIL = 0x100c0d;
  private static final int HEAD = 0x100c00;

  @Test
  void aTakerWhoseFolioWasSplitUsesItsReferenceOnTheOldHeadNotAFreedPage() {
    // The reference is on the head (generation 5); the split left the tail its own folio, same allocation.
    PageAccess a = new PageAccess("taker0", TAIL, true, HEAD, 5, TAIL, 5);
    List<String> wrong = fired(new WrongFolioRefOracle(), a);
    assertEquals(1, wrong.size());
    assertTrue(wrong.get(0).contains("under its reference on folio 0x100c00"), wrong.get(0));
    assertEquals(List.of(), fired(new UseAfterFreeOracle(), a));
  }

  @Test
  void aUseWithNoReferenceAtAllIsNoUseAfterFreeUnlessThePageIsFree() {
    PageAccess live = new PageAccess("taker0", TAIL, true, 0, 0, TAIL, 5);
    assertEquals(List.of(), fired(new UseAfterFreeOracle(), live));
    List<String> wrong = fired(new WrongFolioRefOracle(), live);
    assertTrue(wrong.get(0).contains("holding no reference at all"), wrong.toString());
    PageAccess free = new PageAccess("taker0", TAIL, true, 0, 0, TAIL, 0);
    assertEquals(1, fired(new UseAfterFreeOracle(), free).size());
  }

  @Test
  void aReferenceThatOutlivedItsAllocationIsAUseAfterFree() {
    PageAccess reused = new PageAccess("taker0", TAIL, false, HEAD, 5, TAIL, 9);
    List<String> uaf = fired(new UseAfterFreeOracle(), reused);
    assertTrue(uaf.get(0).contains("freed and reallocated"), uaf.toString());
  }
}
